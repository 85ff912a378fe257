"""The test-generation settings: no webhook secret and a 5 MiB spec limit by default, every
mistake named (by position and tenant, never by secret), no secret in a repr or an error."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationFailed
from entrypoints.settings import load
from entrypoints.testgen_settings import (
    DEFAULT_MAX_SPEC_BYTES,
    TestgenSettings,
    parse_webhook_secrets,
)

SECRETS = "CREDITDESK_TESTGEN_WEBHOOK_SECRETS"
ACME = "acme-webhook-secret-0123456789abcdef"
GLOBEX = "globex=secret=with-equals-0123456789"


def _problems(env: dict[str, str]) -> list[str]:
    with pytest.raises(ValidationFailed) as refused:
        load(env)
    for secret in (ACME, GLOBEX, "short"):
        assert secret not in str(refused.value)
        assert secret not in repr(refused.value.problems)
    return [p.message for p in refused.value.problems if p.path.startswith("CREDITDESK_TESTGEN")]


def test_no_tenant_has_a_secret_and_specs_are_limited_to_5_mib_by_default() -> None:
    settings = load({}).testgen
    assert settings == TestgenSettings()
    assert settings.max_spec_bytes == DEFAULT_MAX_SPEC_BYTES == 5 * 1024 * 1024
    assert settings.webhook_secret("acme") is None


def test_each_tenant_gets_its_own_secret_and_a_secret_may_hold_equals_signs() -> None:
    env = {
        SECRETS: f" acme={ACME} , globex={GLOBEX},",
        "CREDITDESK_TESTGEN_MAX_SPEC_BYTES": "2_048",
    }
    settings = load(env).testgen
    assert settings.webhook_secret("acme") == ACME
    assert settings.webhook_secret("globex") == GLOBEX
    assert settings.webhook_secret("initech") is None
    assert settings.max_spec_bytes == 2048


def test_secrets_stay_out_of_the_settings_repr() -> None:
    settings = load({SECRETS: f"acme={ACME}"})
    assert ACME not in repr(settings)
    assert ACME not in repr(settings.testgen)


def test_every_mistake_is_named_by_position_or_tenant_never_by_its_secret() -> None:
    env = {
        SECRETS: f"acme={ACME},no-equals-sign,=nameless{ACME},acme={ACME},globex=short",
        "CREDITDESK_TESTGEN_MAX_SPEC_BYTES": "12 MB",
    }
    assert _problems(env) == [
        "entry 2 must be written tenant_id=secret",
        "entry 3 must begin with a tenant id (letters, digits, . _ -)",
        "tenant acme is given more than one secret",
        "the secret of tenant globex must be at least 24 characters, no spaces around",
        "must be a whole number of bytes from 1,024 to 104,857,600",
    ]


@pytest.mark.parametrize("limit", ["0", "1023", "104857601", "-5", "½"])
def test_a_spec_limit_outside_its_bounds_is_refused(limit: str) -> None:
    assert _problems({"CREDITDESK_TESTGEN_MAX_SPEC_BYTES": limit}) == [
        "must be a whole number of bytes from 1,024 to 104,857,600"
    ]


tenant_ids = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True)
secrets = st.text(
    st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=","),
    min_size=24,
    max_size=64,
)


@given(st.dictionaries(tenant_ids, secrets, max_size=5))
def test_any_set_of_secrets_written_out_reads_back_the_same(chosen: dict[str, str]) -> None:
    text = ",".join(f"{tenant}={secret}" for tenant, secret in chosen.items())
    pairs, problems = parse_webhook_secrets(text)
    assert problems == ()
    assert dict(pairs) == chosen
