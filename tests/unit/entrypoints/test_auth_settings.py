"""The authentication settings: a secret required where replicas share a database, lifetimes
with sensible defaults, every mistake named, the secret never repeated."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from adapters.security.secrets import SECRET_FILE
from domain.auth import TokenLifetimes
from domain.errors import ValidationFailed
from entrypoints.composition import token_issuer
from entrypoints.settings import load
from tests.builders import token_claims

POSTGRESQL = {"CREDITDESK_DATABASE_URL": "postgresql+psycopg://cd@db/cd"}
SECRET = "a-secret-of-at-least-32-characters-long"


def _problems(env: dict[str, str]) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as refused:
        load(env)
    assert SECRET not in str(refused.value)
    return {p.path.removeprefix("CREDITDESK_"): p.message for p in refused.value.problems}


def test_the_embedded_default_needs_no_secret_and_keeps_one(tmp_path: Path) -> None:
    settings = load({"CREDITDESK_DATA_DIR": str(tmp_path)})

    assert settings.auth.jwt_secret is None
    assert settings.auth.lifetimes == TokenLifetimes()
    token = token_issuer(settings).issue(token_claims())
    assert (tmp_path / SECRET_FILE).exists()
    # A restart signs with the same secret, so sessions survive it.
    assert token_issuer(load({"CREDITDESK_DATA_DIR": str(tmp_path)})).verify(
        token, token_claims().issued_at
    )


def test_postgresql_needs_a_secret_of_32_characters() -> None:
    assert "JWT_SECRET" in _problems(POSTGRESQL)
    assert "32" in _problems({**POSTGRESQL, "CREDITDESK_JWT_SECRET": "short"})["JWT_SECRET"]
    settings = load({**POSTGRESQL, "CREDITDESK_JWT_SECRET": SECRET})
    assert settings.auth.jwt_secret == SECRET
    assert SECRET not in repr(settings)


def test_token_lifetimes_can_be_set_within_bounds() -> None:
    settings = load({"CREDITDESK_ACCESS_TOKEN_MINUTES": "5", "CREDITDESK_REFRESH_TOKEN_DAYS": "30"})
    assert settings.auth.lifetimes == TokenLifetimes(timedelta(minutes=5), timedelta(days=30))
    found = _problems(
        {"CREDITDESK_ACCESS_TOKEN_MINUTES": "0", "CREDITDESK_REFRESH_TOKEN_DAYS": "a week"}
    )
    assert set(found) == {"ACCESS_TOKEN_MINUTES", "REFRESH_TOKEN_DAYS"}
