from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighbourhoodsConfig(AppConfig):
    name = "neighbourhoods"
    verbose_name = _("Councils and neighbourhoods")

    def ready(self):
        # Importing tasks registers the outbox handlers, so any process can deliver
        # neighbourhoods' messages.
        from neighbourhoods import tasks  # noqa: F401
