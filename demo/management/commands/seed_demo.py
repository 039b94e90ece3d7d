from django.core.management.base import BaseCommand

from demo.seed import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Build a plausible demo council, neighbourhoods, fund, round and users. Safe to re-run."

    def handle(self, *args, **options):
        summary = seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"  {summary.created} objects created, {summary.existing} already there.")
        self.stdout.write("Demo sign-ins:")
        for role, email in summary.sign_ins:
            self.stdout.write(f"  {role:<14} {email}")
        if summary.voter_codes:
            self.stdout.write(
                "Unused voter codes for Splott in Green Streets 2026 (for the polling station): "
                + ", ".join(summary.voter_codes)
            )
        self.stdout.write(
            f"Officers and anchor staff use the password {DEMO_PASSWORD!r}; residents ask for a "
            "sign-in code, which is printed in this terminal (console email)."
        )
