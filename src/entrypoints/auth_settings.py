"""Authentication settings: the token-signing secret and how long tokens last.

CREDITDESK_JWT_SECRET signs every access token; all replicas must share it, so it is required
with PostgreSQL (a shared deployment). The embedded default (SQLite) may leave it unset: the
process then makes a random secret on first start and keeps it in the data folder (file
`jwt-secret`, readable by its owner only), so a restart keeps sessions valid. The secret is
never shown: not in a repr, not in an error message, not in a log line.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from attrs import field, frozen

from domain.auth import TokenLifetimes
from domain.errors import Problem

PREFIX = "CREDITDESK_"
#: The shortest secret accepted, in characters: HS256 wants at least 32 bytes of key.
MIN_SECRET_LENGTH = 32
_LIMITS = {"ACCESS_TOKEN_MINUTES": (1, 24 * 60), "REFRESH_TOKEN_DAYS": (1, 365)}


@frozen
class AuthSettings:
    #: None: the embedded default's secret kept in the data folder (SQLite only).
    jwt_secret: str | None = field(default=None, repr=False)
    lifetimes: TokenLifetimes = field(factory=TokenLifetimes)


def auth_settings(env: Mapping[str, str], problems: list[Problem], *, shared: bool) -> AuthSettings:
    """The authentication settings, every problem with them appended to `problems`; `shared`
    (a PostgreSQL database, which replicas share) requires the secret."""
    secret = env.get(f"{PREFIX}JWT_SECRET", "") or None
    if secret is None and shared:
        problems.append(
            Problem(f"{PREFIX}JWT_SECRET", "is required with PostgreSQL: every replica "
                    "signs and checks tokens with it (python -c 'import secrets; "
                    "print(secrets.token_hex(32))' makes one)")
        )  # fmt: skip
    elif secret is not None and len(secret.encode()) < MIN_SECRET_LENGTH:
        problems.append(
            Problem(f"{PREFIX}JWT_SECRET", f"must be at least {MIN_SECRET_LENGTH} characters")
        )
    defaults = TokenLifetimes()
    fallback = {
        "ACCESS_TOKEN_MINUTES": defaults.access // timedelta(minutes=1),
        "REFRESH_TOKEN_DAYS": defaults.refresh // timedelta(days=1),
    }
    values: dict[str, int] = {}
    for name, (low, high) in _LIMITS.items():
        text = (env.get(f"{PREFIX}{name}", "") or str(fallback[name])).strip()
        if not (text.isascii() and text.isdigit() and low <= int(text) <= high):
            problems.append(
                Problem(f"{PREFIX}{name}", f"must be a whole number from {low} to {high}")
            )
            values[name] = fallback[name]
        else:
            values[name] = int(text)
    lifetimes = TokenLifetimes(
        access=timedelta(minutes=values["ACCESS_TOKEN_MINUTES"]),
        refresh=timedelta(days=values["REFRESH_TOKEN_DAYS"]),
    )
    return AuthSettings(jwt_secret=secret, lifetimes=lifetimes)
