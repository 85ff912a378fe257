"""The HTTP API's settings: which origins may call it, what it asks browsers, how fast a client
may log in or submit.

`entrypoints.settings.load` reads the environment and hands the CREDITDESK_ variables here; this
module reads nothing itself, it only checks and converts.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping

from attrs import field, frozen

from domain.errors import Problem

PREFIX = "CREDITDESK_"
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


#: The shortest metrics token accepted: a scrape credential is a secret like any other.
MIN_METRICS_TOKEN = 16


@frozen
class HttpSettings:
    """CORS origins (none: browsers from other origins are refused), HSTS (on only behind
    HTTPS, where it belongs), per-client requests per minute on login and on intake, and the
    bearer token Prometheus must present on /metrics (None: /metrics is open, as on the
    embedded default; its figures name tenants and their spend, so set one elsewhere)."""

    cors_origins: tuple[str, ...] = ()
    hsts: bool = False
    login_per_minute: int = 10
    intake_per_minute: int = 120
    metrics_token: str | None = field(default=None, repr=False)


def http_settings(env: Mapping[str, str], problems: list[Problem]) -> HttpSettings:
    """The HTTP settings of `env`, every problem with them appended to `problems`."""
    default = HttpSettings()
    origins = tuple(
        origin.strip().rstrip("/")
        for origin in env.get(f"{PREFIX}CORS_ORIGINS", "").split(",")
        if origin.strip()
    )
    for origin in origins:
        parts = urllib.parse.urlsplit(origin)
        if origin != "*" and (parts.scheme not in {"http", "https"} or not parts.hostname):
            problems.append(
                Problem(f"{PREFIX}CORS_ORIGINS", "must be comma-separated http(s):// origins")
            )
            break
    flag = env.get(f"{PREFIX}HSTS", "").strip().lower() or "false"
    if flag not in _TRUE + _FALSE:
        problems.append(Problem(f"{PREFIX}HSTS", "must be true or false"))

    def per_minute(name: str, fallback: int) -> int:
        text = env.get(f"{PREFIX}{name}", "").strip() or str(fallback)
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 100_000):
            problems.append(Problem(f"{PREFIX}{name}", "must be a whole number from 1 to 100,000"))
            return fallback
        return int(text)

    token = env.get(f"{PREFIX}METRICS_TOKEN", "").strip() or None
    if token is not None and not (
        len(token) >= MIN_METRICS_TOKEN and token.isascii() and token.isprintable()
    ):
        problems.append(
            Problem(
                f"{PREFIX}METRICS_TOKEN",
                f"must be at least {MIN_METRICS_TOKEN} printable ASCII characters",
            )
        )
        token = None

    return HttpSettings(
        cors_origins=origins,
        hsts=flag in _TRUE,
        login_per_minute=per_minute("RATE_LIMIT_LOGIN", default.login_per_minute),
        intake_per_minute=per_minute("RATE_LIMIT_INTAKE", default.intake_per_minute),
        metrics_token=token,
    )
