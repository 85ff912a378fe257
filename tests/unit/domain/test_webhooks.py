"""Webhook signatures (a known answer, tampering, stale timestamps), endpoints and bodies."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from domain.webhooks import (
    InvalidSignature,
    endpoint_problems,
    sign,
    signature_header,
    subscribers,
    verify,
    webhook_body,
)
from tests.notification_builders import SECRET, a_delivery, a_webhook_endpoint

# Computed apart from this code: printf '%s' '1767225600.{"event":...}' | openssl dgst -sha256
#   -hmac 'whsec-known-answer-secret-0001'
KNOWN_SECRET = "whsec-known-answer-secret-0001"
KNOWN_TIMESTAMP = 1_767_225_600  # 2026-01-01T00:00:00Z
KNOWN_BODY = '{"event":"application.decided","id":"dlv-1"}'
KNOWN_SIGNATURE = "6590f96213d935c82ffb75aaf5961677a0786687fd7a980a3b90473a26b5daf1"
AT_KNOWN = datetime.fromtimestamp(KNOWN_TIMESTAMP, UTC)
EVENTS = frozenset({"application.decided", "case.assigned"})


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    assert sign(KNOWN_SECRET, KNOWN_TIMESTAMP, KNOWN_BODY) == KNOWN_SIGNATURE
    assert sign(KNOWN_SECRET, KNOWN_TIMESTAMP, KNOWN_BODY.encode()) == KNOWN_SIGNATURE
    assert signature_header(KNOWN_SECRET, KNOWN_TIMESTAMP, KNOWN_BODY) == (
        f"t={KNOWN_TIMESTAMP},v1={KNOWN_SIGNATURE}"
    )


def test_a_genuine_call_verifies_and_gives_its_timestamp() -> None:
    header = f"t={KNOWN_TIMESTAMP},v1={KNOWN_SIGNATURE}"
    assert verify(KNOWN_SECRET, header, KNOWN_BODY.encode(), AT_KNOWN) == KNOWN_TIMESTAMP
    # Clocks disagree a little either way.
    assert verify(KNOWN_SECRET, header, KNOWN_BODY, AT_KNOWN - timedelta(minutes=4))
    assert verify(KNOWN_SECRET, header, KNOWN_BODY, AT_KNOWN + timedelta(minutes=5))


@pytest.mark.parametrize(
    ("secret", "header", "body", "reason"),
    [
        (KNOWN_SECRET, f"t={KNOWN_TIMESTAMP},v1={KNOWN_SIGNATURE}", KNOWN_BODY + " ", "match"),
        (KNOWN_SECRET, f"t={KNOWN_TIMESTAMP},v1={KNOWN_SIGNATURE}", KNOWN_BODY.upper(), "match"),
        ("another-secret-0123456789", f"t={KNOWN_TIMESTAMP},v1={KNOWN_SIGNATURE}", KNOWN_BODY,
         "match"),
        (KNOWN_SECRET, f"t={KNOWN_TIMESTAMP + 1},v1={KNOWN_SIGNATURE}", KNOWN_BODY, "match"),
        (KNOWN_SECRET, f"t={KNOWN_TIMESTAMP},v1={KNOWN_SIGNATURE[:-1]}0", KNOWN_BODY, "match"),
        (KNOWN_SECRET, f"t={KNOWN_TIMESTAMP},v0={KNOWN_SIGNATURE}", KNOWN_BODY, "no v1="),
        (KNOWN_SECRET, f"v1={KNOWN_SIGNATURE}", KNOWN_BODY, "one t="),
        (KNOWN_SECRET, f"t=soon,v1={KNOWN_SIGNATURE}", KNOWN_BODY, "one t="),
        (KNOWN_SECRET, f"t=1,t={KNOWN_TIMESTAMP},v1={KNOWN_SIGNATURE}", KNOWN_BODY, "one t="),
        (KNOWN_SECRET, "", KNOWN_BODY, "one t="),
    ],
)  # fmt: skip
def test_a_tampered_or_malformed_call_is_refused(
    secret: str, header: str, body: str, reason: str
) -> None:
    with pytest.raises(InvalidSignature, match=reason):
        verify(secret, header, body, AT_KNOWN)


def test_an_old_or_future_timestamp_is_refused_though_the_signature_is_right() -> None:
    header = f"t={KNOWN_TIMESTAMP},v1={KNOWN_SIGNATURE}"
    for now in (AT_KNOWN + timedelta(minutes=5, seconds=1), AT_KNOWN - timedelta(hours=1)):
        with pytest.raises(InvalidSignature, match="tolerance"):
            verify(KNOWN_SECRET, header, KNOWN_BODY, now)
    later = AT_KNOWN + timedelta(hours=1)
    assert verify(KNOWN_SECRET, header, KNOWN_BODY, later, tolerance=timedelta(hours=2))


def test_any_of_several_signatures_may_match_while_a_secret_is_rotated() -> None:
    old = sign("the-old-secret-0123456789", KNOWN_TIMESTAMP, KNOWN_BODY)
    header = f"t={KNOWN_TIMESTAMP},v1={old},v1={KNOWN_SIGNATURE}"
    assert verify(KNOWN_SECRET, header, KNOWN_BODY, AT_KNOWN) == KNOWN_TIMESTAMP


_secrets = st.text(min_size=1, max_size=64)
_instants = st.integers(min_value=0, max_value=4_000_000_000)


@given(secret=_secrets, timestamp=_instants, body=st.binary(max_size=512))
def test_whatever_is_signed_verifies_with_its_secret(
    secret: str, timestamp: int, body: bytes
) -> None:
    header = signature_header(secret, timestamp, body)
    now = datetime.fromtimestamp(timestamp, UTC)
    assert verify(secret, header, body, now) == timestamp


@given(
    secret=_secrets,
    other=_secrets,
    timestamp=_instants,
    body=st.binary(max_size=256),
    flip=st.integers(min_value=0, max_value=255),
)
def test_another_secret_or_any_changed_byte_fails(
    secret: str, other: str, timestamp: int, body: bytes, flip: int
) -> None:
    header = signature_header(secret, timestamp, body)
    now = datetime.fromtimestamp(timestamp, UTC)
    if other != secret:
        with pytest.raises(InvalidSignature):
            verify(other, header, body, now)
    if body:
        changed = bytearray(body)
        changed[flip % len(body)] ^= 0x01
        with pytest.raises(InvalidSignature):
            verify(secret, header, bytes(changed), now)


def test_the_body_is_canonical_json_of_ids_and_facts() -> None:
    delivery = a_delivery()
    body = webhook_body(delivery)
    assert body == webhook_body(evolve(delivery, attempts=3))  # the same bytes on every try
    assert json.loads(body) == {
        "id": "dlv-1",
        "event": "application.decided",
        "created_at": "2026-11-22T09:30:00+00:00",
        "data": dict(delivery.context),
    }
    # Keys sorted, no spaces: a receiver may compare bodies byte for byte.
    assert body.startswith(b'{"created_at":"2026-11-22T09:30:00+00:00","data":{"application_id"')


def test_only_active_endpoints_subscribed_to_the_event_are_called() -> None:
    endpoints = [
        a_webhook_endpoint("hook-2"),
        a_webhook_endpoint("hook-1", events=EVENTS),
        a_webhook_endpoint("hook-3", active=False),
        a_webhook_endpoint("hook-4", events=frozenset({"case.assigned"})),
    ]
    assert [e.id for e in subscribers(endpoints, "application.decided")] == ["hook-1", "hook-2"]
    assert [e.id for e in subscribers(endpoints, "case.assigned")] == ["hook-1", "hook-4"]
    assert subscribers(endpoints, "case.escalated") == ()


def test_the_secret_never_shows_in_an_endpoints_repr() -> None:
    endpoint = a_webhook_endpoint()
    assert SECRET not in repr(endpoint)
    assert endpoint.url in repr(endpoint)


def test_a_good_endpoint_has_no_problems() -> None:
    assert endpoint_problems("https://lender.example/hooks?t=1", SECRET, EVENTS, EVENTS) == ()
    assert endpoint_problems("http://127.0.0.1:8080/", SECRET, EVENTS, EVENTS) == ()


@pytest.mark.parametrize(
    ("url", "secret", "events", "path", "says"),
    [
        ("ftp://lender.example/", SECRET, EVENTS, "url", "http"),
        ("file:///etc/passwd", SECRET, EVENTS, "url", "http"),
        ("https://", SECRET, EVENTS, "url", "http"),
        ("https://me:pw@lender.example/", SECRET, EVENTS, "url", "credentials"),
        ("https://lender.example/" + "a" * 2_000, SECRET, EVENTS, "url", "2,000"),
        ("https://lender.example/", "too-short", EVENTS, "secret", "24"),
        ("https://lender.example/", f" {SECRET}", EVENTS, "secret", "spaces"),
        ("https://lender.example/", SECRET, frozenset(), "events", "at least one"),
        ("https://lender.example/", SECRET, {"model.trained"}, "events", "unknown: model.trained"),
    ],
)
def test_a_bad_endpoint_is_refused_without_repeating_the_secret(
    url: str, secret: str, events: frozenset[str], path: str, says: str
) -> None:
    (problem,) = endpoint_problems(url, secret, events, EVENTS)
    assert problem.path == path
    assert says in problem.message
    assert secret not in problem.message
    assert "lender.example" not in problem.message
