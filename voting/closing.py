"""How the moment voting closes is written, "at 9am on 23 December 2026": the pages, the
confirmation email and the voter-code letters all say it the same way, in the current time
zone and language."""

from datetime import datetime

from django.utils.formats import date_format
from django.utils.timezone import localtime


def closing_time(moment: datetime) -> str:
    """ "9am", "5:30pm" ("9yb" in Welsh)."""
    return date_format(localtime(moment), "fA").lower()


def closing_date(moment: datetime) -> str:
    """ "23 December 2026"."""
    return date_format(localtime(moment), "j F Y")
