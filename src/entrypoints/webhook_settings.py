"""Webhook settings: how long an endpoint has to answer, and whether calls may go to private
networks (CREDITDESK_WEBHOOK_*).

Kept apart from `entrypoints.settings`, which reads them with the rest, as the email, auth and
HTTP settings are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from attrs import frozen

from domain.errors import Problem

PREFIX = "CREDITDESK_"
DEFAULT_WEBHOOK_TIMEOUT = 10.0
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@frozen
class WebhookSettings:
    """How webhook calls are made.

    `allow_private_networks` is off by default: endpoint URLs are typed in by tenant admins, and
    a call into the host's own network (its metadata service, its database, an admin port on
    loopback) is the classic server-side request forgery. Turn it on only where every receiver
    is known to live inside the network, such as a test bench.
    """

    timeout: float = DEFAULT_WEBHOOK_TIMEOUT
    allow_private_networks: bool = False


def webhook_settings(env: Mapping[str, str], problems: list[Problem]) -> WebhookSettings:
    """The webhook settings, every problem appended to `problems`."""
    text = env.get(f"{PREFIX}WEBHOOK_TIMEOUT", "").strip() or str(DEFAULT_WEBHOOK_TIMEOUT)
    try:
        timeout = float(text)
    except ValueError:
        timeout = math.nan
    if not 0.1 <= timeout <= 120.0:
        problems.append(Problem(f"{PREFIX}WEBHOOK_TIMEOUT", "must be seconds from 0.1 to 120"))
    flag = env.get(f"{PREFIX}WEBHOOK_ALLOW_PRIVATE", "").strip().lower() or "false"
    if flag not in _TRUE + _FALSE:
        problems.append(Problem(f"{PREFIX}WEBHOOK_ALLOW_PRIVATE", "must be true or false"))
    return WebhookSettings(timeout=timeout, allow_private_networks=flag in _TRUE)
