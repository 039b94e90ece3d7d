from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        # Importing tasks registers the outbox handlers, so any process can deliver
        # proposals' messages.
        from budgets import services as budgets_services
        from proposals import selectors, tasks  # noqa: F401

        # Budgets refuses to open voting while a ballot is empty; it asks proposals.
        budgets_services.ballot_sizes_for = selectors.round_ballot_sizes
