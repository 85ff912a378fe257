"""Webhooks: the endpoints a tenant registers, the body they receive and how it is signed.

A webhook call is an HTTP POST of a JSON body (`webhook_body`) with these headers:

    Content-Type: application/json
    X-Creditdesk-Event: application.decided
    X-Creditdesk-Delivery: <delivery id, the same on every retry: receivers dedupe by it>
    X-Creditdesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>

The signature is HMAC-SHA256, keyed by the endpoint's secret (its UTF-8 bytes), over the
timestamp, a full stop and the raw body: `f"{t}.".encode() + body`, as Stripe signs. The
timestamp is inside the signed text, so a captured call cannot be replayed later with a fresh
one; a receiver checks it is recent (`verify`, five minutes by default) and compares in constant
time. Each attempt is signed anew, with its own timestamp, over the same body. A header may
carry several `v1=` values (while a secret is being rotated); one match is enough.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import urllib.parse
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta

from attrs import field, frozen

from domain.errors import DomainError, Problem
from domain.notifications import Delivery

SIGNATURE_HEADER = "X-Creditdesk-Signature"
EVENT_HEADER = "X-Creditdesk-Event"
DELIVERY_HEADER = "X-Creditdesk-Delivery"
SIGNATURE_SCHEME = "v1"
DEFAULT_TOLERANCE = timedelta(minutes=5)
#: Shorter secrets are refused: 24 characters of a random token are over 128 bits.
MIN_SECRET_LENGTH = 24
MAX_URL_LENGTH = 2_000
#: The characters a URI may hold (RFC 3986 unreserved and reserved, `%` escapes), brackets aside.
_URI_TEXT = re.compile(r"(?:[A-Za-z0-9\-._~:/?#@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+")


@frozen
class WebhookEndpoint:
    """Where a tenant wants to hear of `events` (outbox topics such as "application.decided").

    The secret is kept as given, because signing needs it; it is left out of the repr, so an
    endpoint can be logged or shown in an error whole.
    """

    id: str
    tenant_id: str
    url: str
    secret: str = field(repr=False)
    events: frozenset[str]
    created_at: datetime
    created_by: str
    active: bool = True

    def subscribes_to(self, event: str) -> bool:
        return self.active and event in self.events


def subscribers(endpoints: Iterable[WebhookEndpoint], event: str) -> tuple[WebhookEndpoint, ...]:
    """The active endpoints subscribed to `event`, by id."""
    return tuple(sorted((e for e in endpoints if e.subscribes_to(event)), key=lambda e: e.id))


def endpoint_problems(
    url: str, secret: str, events: Collection[str], known_events: Collection[str]
) -> tuple[Problem, ...]:
    """What is wrong with a new endpoint. No message repeats the URL or the secret."""
    found = []
    parts = _url_parts(url)
    if parts is None or parts.scheme not in {"http", "https"} or not parts.hostname:
        found.append(Problem("url", "must be an http:// or https:// URL"))
    elif parts.username is not None or parts.password is not None:
        found.append(Problem("url", "must not hold credentials: the signature authenticates"))
    elif len(url) > MAX_URL_LENGTH:
        found.append(Problem("url", f"must be at most {MAX_URL_LENGTH:,} characters"))
    if len(secret) < MIN_SECRET_LENGTH or secret != secret.strip():
        found.append(
            Problem("secret", f"must be at least {MIN_SECRET_LENGTH} characters, no spaces around")
        )
    if not events:
        found.append(Problem("events", "must name at least one event"))
    unknown = sorted(set(events) - set(known_events))
    if unknown:
        found.append(
            Problem(
                "events", f"unknown: {', '.join(unknown)}; known: {', '.join(sorted(known_events))}"
            )
        )
    return tuple(found)


def _url_parts(url: str) -> urllib.parse.SplitResult | None:
    """`url`'s parts when it is a URI (RFC 3986 characters, `%` escapes whole, a numeric port;
    no IPv6 literal), else None: what is refused here is what a URI checker refuses too."""
    if not _URI_TEXT.fullmatch(url):
        return None
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018  # raises on a port that is not a number in range
    except ValueError:
        return None
    return parts


def webhook_body(delivery: Delivery) -> bytes:
    """The JSON a webhook delivery posts: the same bytes on every attempt.

    `data` is the notification's context: ids and small facts, no personal data.
    """
    document = {
        "id": delivery.id,
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "data": dict(delivery.context),
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def _bytes(body: bytes | str) -> bytes:
    return body.encode() if isinstance(body, str) else body


def sign(secret: str, timestamp: int, body: bytes | str) -> str:
    """The lowercase hex HMAC-SHA256 of `f"{timestamp}.{body}"` keyed by `secret`."""
    signed = f"{timestamp}.".encode() + _bytes(body)
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes | str) -> str:
    """The value of `SIGNATURE_HEADER`: `t=<timestamp>,v1=<signature>`."""
    return f"t={timestamp},{SIGNATURE_SCHEME}={sign(secret, timestamp, body)}"


class InvalidSignature(DomainError):
    """A webhook call whose signature is missing, malformed, stale or wrong."""


def _parsed(header: str) -> tuple[int, list[str]]:
    timestamps: list[str] = []
    signatures: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            timestamps.append(value)
        elif key == SIGNATURE_SCHEME:
            signatures.append(value)
    if len(timestamps) != 1 or not timestamps[0].isascii() or not timestamps[0].isdigit():
        raise InvalidSignature("the signature header needs one t=<unix seconds>")
    if not signatures:
        raise InvalidSignature(f"the signature header has no {SIGNATURE_SCHEME}= signature")
    return int(timestamps[0]), signatures


def verify(
    secret: str,
    header: str,
    body: bytes | str,
    now: datetime,
    tolerance: timedelta = DEFAULT_TOLERANCE,
) -> int:
    """Check a received call: its timestamp within `tolerance` of `now` (either side, for
    clocks that disagree) and one of its signatures right for `body`. Returns the timestamp;
    raises `InvalidSignature` otherwise."""
    timestamp, signatures = _parsed(header)
    if abs(now.timestamp() - timestamp) > tolerance.total_seconds():
        raise InvalidSignature("the signature's timestamp is outside the tolerance")
    expected = sign(secret, timestamp, body).encode()
    if not any(hmac.compare_digest(expected, s.encode("utf-8", "replace")) for s in signatures):
        raise InvalidSignature("the signature does not match the body")
    return timestamp
