"""Test-generation settings: the largest spec accepted, the secret each tenant signs its
OpenAPI webhook calls with, and the allowlists of the servers a quality gate may run against
and of the repositories a delivery may push to (CREDITDESK_TESTGEN_*).

Kept apart from `entrypoints.settings`, which reads them with the rest, as the email, auth and
webhook settings are. The secrets are kept as given, because verifying a signature needs them;
they are left out of every repr and no problem message repeats one, so settings can be logged
or shown in an error whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from attrs import field, frozen

from domain.errors import Problem
from domain.testgen.delivery import masked
from domain.testgen.targets import GATE_SCHEMES, REPOSITORY_SCHEMES, prefix_problems
from domain.webhooks import MIN_SECRET_LENGTH

PREFIX = "CREDITDESK_"
SECRETS_VARIABLE = f"{PREFIX}TESTGEN_WEBHOOK_SECRETS"
MAX_BYTES_VARIABLE = f"{PREFIX}TESTGEN_MAX_SPEC_BYTES"
GATE_URLS_VARIABLE = f"{PREFIX}TESTGEN_GATE_URLS"
REPOSITORIES_VARIABLE = f"{PREFIX}TESTGEN_REPOSITORIES"
#: Public specs of large APIs run to a few megabytes; past this one is more likely a mistake.
DEFAULT_MAX_SPEC_BYTES = 5 * 1024 * 1024
_MAX_BYTES_BOUNDS = (1_024, 100 * 1024 * 1024)
#: Tenant ids as the rest of creditdesk writes them (slugs, UUIDs, test ids).
_TENANT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


@frozen
class TestgenSettings:
    """The size limit of a spec upload (API and webhook alike), and the webhook secrets by
    tenant id. A tenant without a secret cannot use the webhook: its calls are refused. The
    URL prefixes a gate may run against and the repository prefixes a delivery may push to
    (`domain.testgen.targets`); none by default, so the server reaches out to nothing it was
    not told to."""

    __test__ = False  # not a pytest test class, despite the name

    max_spec_bytes: int = DEFAULT_MAX_SPEC_BYTES
    webhook_secrets: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    gate_urls: tuple[str, ...] = ()
    repositories: tuple[str, ...] = ()

    def webhook_secret(self, tenant_id: str) -> str | None:
        """The secret `tenant_id` signs its webhook calls with, or None."""
        return dict(self.webhook_secrets).get(tenant_id)


def parse_webhook_secrets(text: str) -> tuple[tuple[tuple[str, str], ...], tuple[Problem, ...]]:
    """`tenant_id=secret,...` as (tenant id, secret) pairs, sorted by tenant, and what is wrong
    with the text. Entries are named by position and tenant id, never by their secret. A secret
    may hold `=` (only the first one splits) but not `,`, which separates entries; empty
    entries (a trailing comma) are ignored."""
    pairs: dict[str, str] = {}
    problems: list[Problem] = []

    def wrong(message: str) -> None:
        problems.append(Problem(SECRETS_VARIABLE, message))

    for position, entry in enumerate((e.strip() for e in text.split(",")), start=1):
        if not entry:  # a trailing comma, or an empty variable
            continue
        tenant_id, equals, secret = entry.partition("=")
        tenant_id = tenant_id.strip()
        if not equals:
            wrong(f"entry {position} must be written tenant_id=secret")
        elif not _TENANT_ID.fullmatch(tenant_id):
            wrong(f"entry {position} must begin with a tenant id (letters, digits, . _ -)")
        elif tenant_id in pairs:
            wrong(f"tenant {tenant_id} is given more than one secret")
        elif len(secret) < MIN_SECRET_LENGTH or secret != secret.strip():
            wrong(
                f"the secret of tenant {tenant_id} must be at least {MIN_SECRET_LENGTH} "
                "characters, no spaces around"
            )
        else:
            pairs[tenant_id] = secret
    return tuple(sorted(pairs.items())), tuple(problems)


def parse_prefixes(
    variable: str, text: str, schemes: frozenset[str]
) -> tuple[tuple[str, ...], tuple[Problem, ...]]:
    """`prefix,prefix,...` as the prefixes in their order, each given once, and what is wrong
    with the text, each entry named by its position and value, any user and password masked
    (a prefix with a password is refused). Empty entries (a trailing comma) are ignored."""
    prefixes: list[str] = []
    problems: list[Problem] = []
    for position, entry in enumerate((e.strip() for e in text.split(",")), start=1):
        if not entry or entry in prefixes:
            continue
        found = prefix_problems(entry, schemes)
        shown = masked(entry)
        problems.extend(Problem(variable, f"entry {position} ({shown}) {m}") for m in found)
        if not found:
            prefixes.append(entry)
    return tuple(prefixes), tuple(problems)


def testgen_settings(env: Mapping[str, str], problems: list[Problem]) -> TestgenSettings:
    """The test-generation settings of `env`, every problem appended to `problems`."""
    secrets, found = parse_webhook_secrets(env.get(SECRETS_VARIABLE, ""))
    problems.extend(found)
    gate_urls, found = parse_prefixes(
        GATE_URLS_VARIABLE, env.get(GATE_URLS_VARIABLE, ""), GATE_SCHEMES
    )
    problems.extend(found)
    repositories, found = parse_prefixes(
        REPOSITORIES_VARIABLE, env.get(REPOSITORIES_VARIABLE, ""), REPOSITORY_SCHEMES
    )
    problems.extend(found)
    text = env.get(MAX_BYTES_VARIABLE, "").strip().replace("_", "") or str(DEFAULT_MAX_SPEC_BYTES)
    low, high = _MAX_BYTES_BOUNDS
    max_bytes = DEFAULT_MAX_SPEC_BYTES
    if text.isascii() and text.isdigit() and low <= int(text) <= high:
        max_bytes = int(text)
    else:
        problems.append(
            Problem(MAX_BYTES_VARIABLE, f"must be a whole number of bytes from {low:,} to {high:,}")
        )
    return TestgenSettings(
        max_spec_bytes=max_bytes,
        webhook_secrets=secrets,
        gate_urls=gate_urls,
        repositories=repositories,
    )
