"""Counts, publishes and refused actions leave one structured log line each, with ids and
numbers only: never a name, an email address, a postcode or a refusal's wording."""

import json
import logging

import pytest
from django.conf import settings
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.urls import reverse
from pythonjsonlogger.json import JsonFormatter

from proposals.models import Proposal
from proposals.services import proposal_create
from tests.voting.results.factories import every_envelope
from voting.results.services import envelope_count, round_publish


def _events(caplog, name):
    return [r for r in caplog.records if getattr(r, "event", None) == name]


def _no_personal_data(record, *words):
    line = json.dumps(record.__dict__, default=str)
    for word in words:
        assert word not in line


def test_a_count_and_a_publish_are_logged_once_committed(
    closed_envelope, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="voting.results.services")
    with django_capture_on_commit_callbacks() as callbacks:
        envelope_count(envelope_id=closed_envelope.pk)
    # Nothing is reported until the count is committed.
    assert _events(caplog, "count.envelope_counted") == []
    for callback in callbacks:
        callback()

    [counted] = _events(caplog, "count.envelope_counted")
    assert (counted.envelope_id, counted.round_id) == (closed_envelope.pk, closed_envelope.round_id)
    assert (counted.rule, counted.ballots, counted.funded) == ("greedy", 5, 2)
    assert (counted.budget_pence, counted.total_cost_pence) == (10_000_00, 9_000_00)
    assert len(counted.input_sha256) == 64
    assert counted.seconds >= 0
    [round_counted] = _events(caplog, "count.round_counted")
    assert round_counted.round_id == closed_envelope.round_id

    with django_capture_on_commit_callbacks(execute=True):
        round_publish(
            round_id=closed_envelope.round_id,
            few_ballots_accepted=every_envelope(closed_envelope.round_id),
        )
    [published] = _events(caplog, "results.published")
    assert (published.round_id, published.envelopes) == (closed_envelope.round_id, 1)
    assert (published.funded, published.not_funded) == (2, 1)
    for record in (counted, round_counted, published):
        _no_personal_data(record, "Park benches", "Splott")


def test_a_refused_idea_is_logged_without_the_reason_or_the_resident(
    resident, closed_envelope, caplog
):
    caplog.set_level(logging.INFO, logger="proposals.services")
    with pytest.raises(ValidationError):
        proposal_create(
            user=resident,
            envelope=closed_envelope,
            title="Benches",
            summary="Somewhere to sit.",
            description="Six benches.",
            cost_pence=100_00,
            category=Proposal.Category.OLDER_PEOPLE,
        )
    [refused] = _events(caplog, "action.refused")
    assert refused.action == "proposals.create"
    assert refused.envelope_id == closed_envelope.pk
    assert (refused.kind, refused.codes) == ("ValidationError", ["refused"])
    _no_personal_data(refused, resident.email, resident.home_postcode, "Rhian", "Splott")


def test_the_json_format_writes_every_field_as_a_key(caplog):
    options = dict(settings.LOGGING["formatters"]["json"])
    formatter = JsonFormatter(options["fmt"], rename_fields=options["rename_fields"])
    log = logging.getLogger("voting.results.services")
    caplog.set_level(logging.INFO, logger=log.name)
    log.info("count.round_counted", extra={"event": "count.round_counted", "round_id": 7})
    line = json.loads(formatter.format(caplog.records[-1]))
    assert line["event"] == "count.round_counted"
    assert line["round_id"] == 7
    assert line["level"] == "INFO"
    assert line["logger"] == "voting.results.services"


def test_a_refused_admin_action_is_logged_with_the_round_only(
    officer_client, closed_envelope, caplog
):
    envelope_count(envelope_id=closed_envelope.pk)  # the round is counted: nothing to count
    caplog.set_level(logging.INFO, logger="voting.results.admin_actions")
    response = officer_client.post(
        reverse("admin:budgets_round_changelist"),
        {"action": "count_now_action", helpers.ACTION_CHECKBOX_NAME: [closed_envelope.round_id]},
        follow=True,
    )
    assert "not counted yet, can be counted" in response.content.decode()
    [refused] = _events(caplog, "action.refused")
    assert refused.action == "admin.round_count_request"
    assert refused.round_id == closed_envelope.round_id
    _no_personal_data(refused, "officer@example.test", "Riverton Decides")
