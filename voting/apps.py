from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting and counting")

    def ready(self):
        # Lower apps never import voting; voting attaches itself to them here.
        from voting import receivers
        from voting.results import admin_actions

        receivers.connect()
        admin_actions.register()
