"""Signed bearer tokens as JWTs (PyJWT, HS256), the `TokenIssuer` port.

HS256 with one shared secret: every replica both issues and checks tokens, so there is no
party that should verify without being able to sign, which is what a key pair would buy.
Each token names this issuer and audience, so a token another system signed with a reused
secret is still refused. Expiry is checked against the `now` passed in, not the system clock
(PyJWT's own time checks are off), so it can be tested to the second. Times are whole seconds,
as JWT's NumericDate is.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import jwt

from application.ports import InvalidToken, TokenClaims

ALGORITHM = "HS256"
#: The shortest secret accepted: HS256's key should be at least as long as its hash (RFC 7518).
MIN_SECRET_BYTES = 32
_REQUIRED = ["exp", "iat", "iss", "aud", "sub", "jti", "tid", "perms"]


def _seconds(moment: datetime) -> int:
    if moment.utcoffset() is None:
        raise ValueError("token times must be timezone-aware")
    return int(moment.timestamp())


def _instant(value: Any) -> datetime:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("a token time is a whole number of seconds")
    return datetime.fromtimestamp(value, UTC)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("a token claim is text")
    return value


class JwtTokenIssuer:
    def __init__(self, secret: bytes, *, issuer: str = "creditdesk", audience: str = "api") -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"the token secret must be at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret
        self._issuer = issuer
        self._audience = audience

    def __repr__(self) -> str:  # never the secret
        return f"JwtTokenIssuer(issuer={self._issuer!r}, audience={self._audience!r})"

    def issue(self, claims: TokenClaims) -> str:
        payload = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": claims.subject,
            "tid": claims.tenant_id,
            "perms": sorted(claims.permissions),
            "iat": _seconds(claims.issued_at),
            "exp": _seconds(claims.expires_at),
            "jti": claims.token_id,
        }
        return jwt.encode(payload, self._secret, algorithm=ALGORITHM)

    def verify(self, token: str, now: datetime) -> TokenClaims:
        try:
            body = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                options={
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                    "require": _REQUIRED,
                },
            )
            permissions = body["perms"]
            if not isinstance(permissions, list):
                raise TypeError("permissions are a list")
            claims = TokenClaims(
                subject=_text(body["sub"]),
                tenant_id=_text(body["tid"]),
                permissions=frozenset(_text(p) for p in permissions),
                issued_at=_instant(body["iat"]),
                expires_at=_instant(body["exp"]),
                token_id=_text(body["jti"]),
            )
        except (jwt.PyJWTError, ValueError, TypeError, KeyError, OverflowError) as error:
            raise InvalidToken("the token is not genuine") from error
        if now >= claims.expires_at:
            raise InvalidToken("the token has expired")
        return claims
