"""Dates, numbers and money through Django's locale formats: Welsh month names under cy,
never strftime's (which follows the machine's C locale, so always English)."""

import ast
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone, translation

from budgets.models import Round
from budgets.money import format_pence
from stations.models import PollingStation
from stations.services import station_open
from tests.stations.factories import PollingStationFactory
from tests.voting.conftest import make_voting_envelope
from voting.eligibility import _phase_reason

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "budgets", "neighbourhoods", "proposals", "voting", "stations", "outbox",
        "config", "demo"]  # fmt: skip
LONDON = ZoneInfo("Europe/London")
THIRD_OF_MARCH = datetime(2026, 3, 3, 14, 5, tzinfo=LONDON)


def test_no_application_code_calls_strftime():
    """A format spec in an f-string ({when:%d %B}) is strftime too."""
    calls = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute) and node.attr == "strftime":
                    calls.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
                    spec = ast.unparse(node.format_spec)
                    if "%" in spec:
                        calls.append(f"{path.relative_to(ROOT)}:{node.lineno} {spec}")
    assert not calls, calls


def test_a_date_in_a_template_is_welsh_under_cy():
    template = Template('{{ when|date:"j F Y" }}')
    with translation.override("cy"):
        assert template.render(Context({"when": THIRD_OF_MARCH})) == "3 Mawrth 2026"
    with translation.override("en-gb"):
        assert template.render(Context({"when": THIRD_OF_MARCH})) == "3 March 2026"


@pytest.mark.django_db
def test_voting_not_open_yet_gives_the_date_in_welsh(council):
    envelope = make_voting_envelope(council)
    round_ = envelope.round
    round_.phase = Round.Phase.REVIEW
    round_.voting_opens_at = THIRD_OF_MARCH
    with translation.override("cy"):
        assert (
            _phase_reason(round_)
            == "Nid yw pleidleisio wedi agor eto. Mae'n agor ar 3 Mawrth 2026."
        )
    with translation.override("en-gb"):
        assert _phase_reason(round_) == "Voting has not opened yet. It opens on 3 March 2026."


WELSH_MONTHS = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf",
                "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"]  # fmt: skip


@pytest.mark.django_db
def test_a_station_not_open_yet_says_when_in_welsh(council, anchor_staff):
    envelope = make_voting_envelope(council)
    station = PollingStationFactory(round=envelope.round, neighbourhoods=[envelope.neighbourhood])
    station.anchor.staff.add(anchor_staff)
    later = (timezone.now() + timedelta(days=3)).astimezone(LONDON)
    opens = later.replace(hour=9, minute=30, second=0, microsecond=0)
    PollingStation.objects.filter(pk=station.pk).update(
        opens_at=opens, closes_at=opens + timedelta(hours=8)
    )
    with translation.override("cy"), pytest.raises(ValidationError) as refused:
        station_open(station_id=station.pk, staff_user=anchor_staff, pin="4826")
    month = WELSH_MONTHS[opens.month - 1]
    expected = f"Mae'r orsaf hon yn agor am {opens.day} {month} {opens.year}, 09:30."
    assert refused.value.messages == [expected]


@pytest.mark.parametrize("language", ["cy", "en-gb"])
def test_money_is_grouped_by_the_locale(language):
    with translation.override(language):
        assert format_pence(250_000_00) == "£250,000"
        assert format_pence(2_500_50) == "£2,500.50"
        assert format_pence(-5) == "-£0.05"
        assert format_pence(None) == ""
