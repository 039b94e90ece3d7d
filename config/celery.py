import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")

app = Celery("neighbourhood_democracy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Counting tasks live in voting.results, where autodiscovery (app.tasks) does not look.
app.conf.include = ["config.tasks", "voting.results.tasks"]
