from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.auth import (
    API_KEY_PREFIX,
    REFRESH_TOKEN_PREFIX,
    SECRET_HEX_LENGTH,
    ApiKey,
    RefreshVerdict,
    TokenLifetimes,
    credential,
    needs_touch,
    new_family,
    parse_credential,
    refresh_verdict,
    rotated,
    secret_hash,
    secret_matches,
)
from tests.builders import NOW, TENANT

LIFETIMES = TokenLifetimes()

_secrets = st.text("0123456789abcdef", min_size=SECRET_HEX_LENGTH, max_size=SECRET_HEX_LENGTH)
_ids = st.text(min_size=1, max_size=40).filter(lambda t: not any(c.isspace() for c in t))
_prefixes = st.sampled_from([API_KEY_PREFIX, REFRESH_TOKEN_PREFIX])


@given(prefix=_prefixes, credential_id=_ids, secret=_secrets)
def test_a_credential_parses_back_to_its_id_and_secret(
    prefix: str, credential_id: str, secret: str
) -> None:
    assert parse_credential(prefix, credential(prefix, credential_id, secret)) == (
        credential_id,
        secret,
    )


@given(text=st.text(max_size=120))
def test_parsing_any_text_gives_a_credential_that_formats_back_to_it_or_nothing(
    text: str,
) -> None:
    parsed = parse_credential(API_KEY_PREFIX, text)
    if parsed is not None:
        assert credential(API_KEY_PREFIX, *parsed) == text


def test_an_api_key_is_not_a_refresh_token_and_vice_versa() -> None:
    key = credential(API_KEY_PREFIX, "k1", "a" * SECRET_HEX_LENGTH)
    token = credential(REFRESH_TOKEN_PREFIX, "t1", "a" * SECRET_HEX_LENGTH)

    assert parse_credential(REFRESH_TOKEN_PREFIX, key) is None
    assert parse_credential(API_KEY_PREFIX, token) is None
    for short in ("cd_k1_abc", "cd__" + "a" * 64, "cd_k1_" + "A" * 64):
        assert parse_credential(API_KEY_PREFIX, short) is None


@given(secret=_secrets, other=_secrets)
def test_only_the_secret_matches_its_hash(secret: str, other: str) -> None:
    stored = secret_hash(secret)

    assert len(stored) == 64
    assert secret not in stored
    assert secret_matches(secret, stored)
    assert secret_matches(other, stored) is (other == secret)
    assert not secret_matches(secret, "é" + stored[1:])


def test_lifetimes_default_to_a_quarter_hour_and_a_week() -> None:
    assert TokenLifetimes() == TokenLifetimes(timedelta(minutes=15), timedelta(days=7))
    with pytest.raises(ValueError, match="must be >"):
        TokenLifetimes(access=timedelta(0))


def test_a_token_is_valid_until_expiry_and_rotates_within_its_family() -> None:
    first = new_family(
        "rt-1", tenant_id=TENANT, user_id="u1", secret="a" * 64, now=NOW, lifetimes=LIFETIMES
    )
    later = NOW + timedelta(days=1)

    used, successor = rotated(first, "rt-2", "b" * 64, later, LIFETIMES)

    assert first.family_id == successor.family_id == "rt-1"
    assert used.used_at == later
    assert successor.expires_at == later + LIFETIMES.refresh
    assert refresh_verdict(successor, later) is RefreshVerdict.VALID
    assert refresh_verdict(used, later) is RefreshVerdict.REUSED
    assert refresh_verdict(first, first.expires_at) is RefreshVerdict.EXPIRED
    with pytest.raises(ValueError, match="cannot be rotated"):
        rotated(used, "rt-3", "c" * 64, later, LIFETIMES)


@given(seconds=st.integers(min_value=0, max_value=3600))
def test_a_key_is_touched_at_most_once_a_minute(seconds: int) -> None:
    key = ApiKey("k1", TENANT, "svc", "0" * 64, "user-adm", NOW, last_used_at=NOW)

    assert needs_touch(key, NOW + timedelta(seconds=seconds)) is (seconds >= 60)
    assert needs_touch(ApiKey("k2", TENANT, "svc", "0" * 64, "user-adm", NOW), NOW)
