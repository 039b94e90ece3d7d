from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting and counting")

    def ready(self):
        # Registers the outbox handlers, so any process can deliver voting's messages.
        from voting import tasks  # noqa: F401
