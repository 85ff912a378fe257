"""Templates, inbox messages and deliveries: rendering, reading and the life of an attempt."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.notices import TEMPLATES, Notice, template_of
from domain.errors import IllegalTransition, ValidationFailed
from domain.notifications import (
    MAX_DELIVERY_ERROR,
    DeliveryStatus,
    MissingVariables,
    Template,
    attempt_failed,
    delivered,
    mark_read,
    render,
)
from tests.builders import NOW
from tests.notification_builders import a_delivery, an_inbox_message

#: A value for every variable any template uses, each one recognisable in the output.
EVERY_VARIABLE = {
    "entry_id": "entry-7",
    "application_id": "app-42",
    "analyst_id": "user-ana",
    "assigned_by": "user-sen",
    "sla_deadline": "2026-11-22T17:30:00+00:00",
    "senior_id": "user-sen2",
    "decision_id": "dec-9",
    "decided_by": "user-bob",
    "decision_type": "analyst_approve",
    "outcome": "approved",
    "requested_by": "user-carla",
}


def test_every_notice_has_a_template_named_after_it() -> None:
    assert set(TEMPLATES) == set(Notice)
    assert all(template_of(notice).name == notice.value for notice in Notice)


@pytest.mark.parametrize("notice", list(Notice))
def test_every_template_renders_every_variable_it_names(notice: Notice) -> None:
    template = template_of(notice)
    assert template.variables <= set(EVERY_VARIABLE)
    assert "application_id" in template.variables

    rendered = render(template, EVERY_VARIABLE)

    assert "$" not in rendered.subject + rendered.text
    assert "app-42" in rendered.subject
    for name in template.variables:
        assert EVERY_VARIABLE[name] in rendered.subject + rendered.text
    assert "\n" not in rendered.subject
    assert rendered.html.startswith("<!DOCTYPE html>")


def test_a_missing_variable_is_named_and_fails_as_invalid_input() -> None:
    template = template_of(Notice.CASE_ASSIGNED)
    context = {"application_id": "app-42"}

    with pytest.raises(MissingVariables) as raised:
        render(template, context)

    assert raised.value.template == "case_assigned"
    assert raised.value.names == ("assigned_by", "entry_id")
    assert isinstance(raised.value, ValidationFailed)  # a job fails at once, no retries
    assert "assigned_by" in str(raised.value)
    assert "entry_id" in str(raised.value)


def test_a_template_names_exactly_its_placeholders() -> None:
    template = Template("t", "About $application_id", "Costs $$5; see $entry_id and ${entry_id}.")
    assert template.variables == {"application_id", "entry_id"}
    assert render(template, {"application_id": "a", "entry_id": "e", "extra": "x"}).text == (
        "Costs $5; see e and e."
    )


def test_a_value_cannot_break_the_subject_line_or_inject_markup() -> None:
    template = Template("t", "About $application_id", "Hello\n\n$application_id")
    rendered = render(template, {"application_id": "<b>x</b>\r\nBcc: all@example.com"})
    assert rendered.subject == "About <b>x</b> Bcc: all@example.com"
    assert "<b>" not in rendered.html
    assert "&lt;b&gt;x&lt;/b&gt;" in rendered.html
    assert rendered.html.count("<p>") == 2


@given(values=st.dictionaries(st.sampled_from(sorted(EVERY_VARIABLE)), st.text(max_size=20)))
def test_rendering_succeeds_exactly_when_every_variable_is_given(values: dict[str, str]) -> None:
    template = template_of(Notice.OVERRIDE_AWAITING_APPROVAL)
    missing = template.variables - values.keys()
    if missing:
        with pytest.raises(MissingVariables) as raised:
            render(template, values)
        assert set(raised.value.names) == missing
    else:
        rendered = render(template, values)
        assert rendered.subject == " ".join(rendered.subject.split())  # one line


def test_reading_a_message_keeps_the_first_moment_it_was_read() -> None:
    message = an_inbox_message()
    assert not message.is_read
    read = mark_read(message, NOW + timedelta(minutes=5))
    assert read.is_read
    assert read.read_at == NOW + timedelta(minutes=5)
    assert mark_read(read, NOW + timedelta(hours=1)) == read


def test_a_failed_attempt_with_a_retry_planned_stays_pending() -> None:
    retry_at = NOW + timedelta(seconds=2)
    failed = attempt_failed(a_delivery(), NOW, "HTTP 503 from the endpoint", retry_at=retry_at)
    assert (failed.status, failed.attempts, failed.next_attempt_at) == (
        DeliveryStatus.PENDING,
        1,
        retry_at,
    )
    assert failed.last_error == "HTTP 503 from the endpoint"
    with pytest.raises(ValueError, match="after"):
        attempt_failed(failed, NOW, "again", retry_at=NOW - timedelta(seconds=1))


def test_the_last_failed_attempt_fails_the_delivery_which_may_still_succeed_later() -> None:
    first = attempt_failed(a_delivery(), NOW, "timed out", retry_at=NOW + timedelta(seconds=1))
    last = attempt_failed(first, NOW + timedelta(seconds=1), "refused", retry_at=None)
    assert (last.status, last.attempts, last.next_attempt_at) == (DeliveryStatus.FAILED, 2, None)
    assert last.last_error == "refused"

    sent = delivered(last, NOW + timedelta(hours=1))
    assert (sent.status, sent.attempts, sent.sent_at) == (
        DeliveryStatus.SENT,
        3,
        NOW + timedelta(hours=1),
    )
    assert sent.last_error == "refused"  # why the earlier attempts failed


def test_a_sent_delivery_is_never_attempted_again() -> None:
    sent = delivered(a_delivery(), NOW)
    with pytest.raises(IllegalTransition):
        delivered(sent, NOW)
    with pytest.raises(IllegalTransition):
        attempt_failed(sent, NOW, "late failure", retry_at=None)


@given(error=st.text(max_size=2_000))
def test_a_kept_error_is_one_bounded_line(error: str) -> None:
    failed = attempt_failed(a_delivery(), NOW, error, retry_at=None)
    assert failed.last_error
    assert len(failed.last_error) <= MAX_DELIVERY_ERROR
    assert not any(c in failed.last_error for c in "\r\n")
