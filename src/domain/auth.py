"""Authentication rules: token lifetimes, refresh-token families, opaque credentials, API keys.

Access tokens are short-lived signed tokens (the `TokenIssuer` port); what makes a session last
is its refresh token, which is opaque, stored, and used once. Each use rotates it: the used one
is marked and a new one of the same *family* is issued. A refresh token presented a second time
means two parties hold it (a thief and its owner), and there is no telling which is which, so
the whole family is revoked and both must log in again (the rotation rule of RFC 6819 5.2.2.3).

Refresh tokens and API keys are handed out as `<prefix>_<id>_<secret>`: the id finds the stored
record without a scan, and only a SHA-256 hash of the secret is stored. A slow password hash
(Argon2) is there to make guessing a *human-chosen* password expensive; these secrets are 256
random bits, which no amount of guessing finds, so a fast hash protects them as well and keeps
every authenticated request cheap. Comparisons are constant-time all the same.

Pure: the secret, the ids and the time are passed in.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
from datetime import datetime, timedelta

from attrs import evolve, field, frozen, validators

from domain.errors import Problem
from domain.identity import Principal, Role

#: What starts an API key, and a refresh token: tells the two (and a JWT) apart at a glance.
API_KEY_PREFIX = "cd"
REFRESH_TOKEN_PREFIX = "cdr"  # noqa: S105 - a prefix, not a secret
#: Secrets are 32 random bytes, as lowercase hex.
SECRET_HEX_LENGTH = 64
#: An API key's last use is written at most this often, so a busy client costs no write per call.
TOUCH_INTERVAL = timedelta(minutes=1)
#: Who an API key acts as: `api-key:<key id>`, which is what the audit trail names.
API_KEY_ACTOR = "api-key:"

_SECRET = re.compile(f"[0-9a-f]{{{SECRET_HEX_LENGTH}}}")
_positive = validators.gt(timedelta(0))


@frozen
class TokenLifetimes:
    """How long an access token and a refresh token are good for."""

    access: timedelta = field(default=timedelta(minutes=15), validator=_positive)
    refresh: timedelta = field(default=timedelta(days=7), validator=_positive)


def secret_hash(secret: str) -> str:
    """The SHA-256 of a credential's secret, lowercase hex: what is stored instead of it."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    """Whether `secret` hashes to `stored_hash`, compared in constant time."""
    return hmac.compare_digest(secret_hash(secret).encode(), stored_hash.encode("ascii", "replace"))


def credential(prefix: str, credential_id: str, secret: str) -> str:
    """The text handed to the client: `<prefix>_<id>_<secret>`."""
    if not _SECRET.fullmatch(secret):
        raise ValueError(f"a secret is {SECRET_HEX_LENGTH} lowercase hex digits")
    if not credential_id or any(c.isspace() for c in credential_id):
        raise ValueError("a credential id is not empty and has no spaces")
    return f"{prefix}_{credential_id}_{secret}"


def parse_credential(prefix: str, text: str) -> tuple[str, str] | None:
    """(id, secret) of a credential with this prefix, or None for any other text.

    The secret is hex and has no underscore, so the id is everything between the prefix and
    the last underscore, whatever it holds.
    """
    rest = text.removeprefix(f"{prefix}_")
    if rest == text:
        return None
    credential_id, _, secret = rest.rpartition("_")
    if not credential_id or any(c.isspace() for c in credential_id):
        return None
    if not _SECRET.fullmatch(secret):
        return None
    return credential_id, secret


@frozen
class RefreshToken:
    """One stored refresh token; `secret_hash` is all that is kept of what the client holds."""

    id: str
    family_id: str
    tenant_id: str
    user_id: str
    secret_hash: str
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None


class RefreshVerdict(enum.StrEnum):
    """What presenting a refresh token amounts to."""

    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    #: Presented after it was rotated already: the family must be revoked.
    REUSED = "reused"


def refresh_verdict(token: RefreshToken, now: datetime) -> RefreshVerdict:
    """Reuse is checked before expiry: a replayed token revokes its family even once expired
    (the family's newer tokens may still be live)."""
    if token.revoked_at is not None:
        return RefreshVerdict.REVOKED
    if token.used_at is not None:
        return RefreshVerdict.REUSED
    if now >= token.expires_at:
        return RefreshVerdict.EXPIRED
    return RefreshVerdict.VALID


def new_family(
    token_id: str,
    *,
    tenant_id: str,
    user_id: str,
    secret: str,
    now: datetime,
    lifetimes: TokenLifetimes,
) -> RefreshToken:
    """The first refresh token of a login; its id is also the family's id."""
    return RefreshToken(
        id=token_id,
        family_id=token_id,
        tenant_id=tenant_id,
        user_id=user_id,
        secret_hash=secret_hash(secret),
        issued_at=now,
        expires_at=now + lifetimes.refresh,
    )


def rotated(
    token: RefreshToken, next_id: str, secret: str, now: datetime, lifetimes: TokenLifetimes
) -> tuple[RefreshToken, RefreshToken]:
    """(the token marked used, its successor in the same family); only a valid one rotates."""
    if refresh_verdict(token, now) is not RefreshVerdict.VALID:
        raise ValueError(f"refresh token {token.id} cannot be rotated")
    successor = RefreshToken(
        id=next_id,
        family_id=token.family_id,
        tenant_id=token.tenant_id,
        user_id=token.user_id,
        secret_hash=secret_hash(secret),
        issued_at=now,
        expires_at=now + lifetimes.refresh,
    )
    return evolve(token, used_at=now), successor


@frozen
class ApiKey:
    """A service client's credential in one tenant; it always acts with the api_consumer role."""

    id: str
    tenant_id: str
    name: str
    secret_hash: str = field(repr=False)
    created_by: str
    created_at: datetime
    role: Role = Role.API_CONSUMER
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def principal(self) -> Principal:
        return Principal(f"{API_KEY_ACTOR}{self.id}", self.tenant_id, self.role)


def needs_touch(key: ApiKey, now: datetime) -> bool:
    """Whether a use at `now` should be written as the key's last use (at most once a minute)."""
    return key.last_used_at is None or now - key.last_used_at >= TOUCH_INTERVAL


def api_key_problems(name: str) -> tuple[Problem, ...]:
    if not name.strip():
        return (Problem("name", "must not be empty"),)
    if len(name) > 200:
        return (Problem("name", "must be at most 200 characters"),)
    return ()
