from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting and counting")

    def ready(self):
        # Lower apps never import voting; voting attaches itself to them here.
        # Importing tasks registers the outbox handlers, so any process can deliver
        # voting's messages.
        from voting import receivers, tasks  # noqa: F401
        from voting.results import admin_actions

        receivers.connect()
        admin_actions.register()
