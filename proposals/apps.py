from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        # Importing tasks registers the outbox handlers, so any process can deliver
        # proposals' messages.
        from proposals import tasks  # noqa: F401
