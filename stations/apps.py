from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Polling stations")

    def ready(self):
        # Voting cannot import stations: the count asks this app's paper batches through
        # the hold it registers here.
        from stations import paper
        from voting.results import holds

        holds.register(paper.round_paper_holds)
