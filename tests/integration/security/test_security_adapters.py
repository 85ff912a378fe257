"""What the Argon2 hasher and the JWT issuer promise beyond their ports' contracts
(tests/contracts/test_services.py runs those on the fakes and on these alike)."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

import jwt
import pytest

from adapters.security.passwords import Argon2PasswordHasher
from adapters.security.secrets import SECRET_FILE, RandomSecrets, kept_secret
from adapters.security.tokens import JwtTokenIssuer
from application.ports import InvalidToken
from domain.auth import SECRET_HEX_LENGTH
from tests.builders import NOW, token_claims

SECRET = b"integration-test-secret-0123456789abcdef"
CHEAP = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def test_an_argon2id_hash_names_its_parameters_and_is_salted() -> None:
    hasher = Argon2PasswordHasher(**CHEAP)

    first, second = hasher.hash("correct horse"), hasher.hash("correct horse")

    assert first.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert first != second  # a fresh salt each time
    assert hasher.verify(second, "correct horse")


def test_a_hash_made_with_weaker_parameters_needs_a_rehash() -> None:
    weak = Argon2PasswordHasher(**CHEAP).hash("correct horse")
    stronger = Argon2PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)

    assert stronger.verify(weak, "correct horse")  # still logs in...
    assert stronger.needs_rehash(weak)  # ...and is upgraded then
    assert not stronger.needs_rehash(stronger.hash("correct horse"))


def test_odd_passwords_and_hashes_give_false_not_errors() -> None:
    hasher = Argon2PasswordHasher(**CHEAP)
    hashed = hasher.hash("\ud800 lone surrogate")

    assert hasher.verify(hashed, "\ud800 lone surrogate")
    assert not hasher.verify("$argon2id$é", "x")
    assert not hasher.verify(hashed[:-4], "\ud800 lone surrogate")


def test_a_jwt_names_its_issuer_and_audience_and_holds_no_secret() -> None:
    issuer = JwtTokenIssuer(SECRET)
    token = issuer.issue(token_claims(token_id="jti-1"))

    body = jwt.decode(token, options={"verify_signature": False})
    assert (body["iss"], body["aud"], body["jti"]) == ("creditdesk", "api", "jti-1")
    assert SECRET.decode() not in repr(issuer)


def test_a_token_for_another_audience_or_issuer_is_refused() -> None:
    claims = token_claims()

    for other in (
        JwtTokenIssuer(SECRET, audience="web"),
        JwtTokenIssuer(SECRET, issuer="someone-else"),
    ):
        with pytest.raises(InvalidToken):
            JwtTokenIssuer(SECRET).verify(other.issue(claims), NOW)


def test_unsigned_and_wrongly_typed_tokens_are_refused() -> None:
    claims = token_claims()
    payload = {
        "iss": "creditdesk",
        "aud": "api",
        "sub": claims.subject,
        "tid": claims.tenant_id,
        "perms": ["application:view"],
        "iat": int(NOW.timestamp()),
        "exp": int((NOW + timedelta(hours=1)).timestamp()),
        "jti": "jti-1",
    }
    unsigned = jwt.encode(payload, key="", algorithm="none")
    wrong_types = jwt.encode({**payload, "perms": "application:view"}, SECRET, algorithm="HS256")
    missing = jwt.encode({k: v for k, v in payload.items() if k != "tid"}, SECRET, "HS256")
    good = jwt.encode(payload, SECRET, algorithm="HS256")

    for token in (unsigned, wrong_types, missing):
        with pytest.raises(InvalidToken):
            JwtTokenIssuer(SECRET).verify(token, NOW)
    assert JwtTokenIssuer(SECRET).verify(good, NOW).token_id == "jti-1"


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        JwtTokenIssuer(b"too-short")


def test_secrets_are_random_hex() -> None:
    made = {RandomSecrets().new_secret() for _ in range(100)}

    assert len(made) == 100
    assert all(len(s) == SECRET_HEX_LENGTH and int(s, 16) >= 0 for s in made)


def test_the_kept_secret_is_made_once_and_readable_by_its_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "data"

    first = kept_secret(folder)

    assert kept_secret(folder) == first
    assert len(first) == SECRET_HEX_LENGTH
    mode = (folder / SECRET_FILE).stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    assert [p.name for p in folder.iterdir()] == [SECRET_FILE]  # no draft left behind
    (folder / SECRET_FILE).write_text("short\n")
    with pytest.raises(ValueError, match="no usable secret"):
        kept_secret(folder)
