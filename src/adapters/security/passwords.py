"""Argon2id password hashes (argon2-cffi), the `PasswordHasher` port.

Argon2id is the memory-hard scheme OWASP recommends first: guessing a password from a leaked
hash costs memory as well as time, which is what makes GPU farms expensive. The defaults are
argon2-cffi's (RFC 9106's low-memory profile); tests pass cheaper parameters. A hash records
its own parameters, so raising them later only makes `needs_rehash` true for older hashes,
which are upgraded at their owner's next login.
"""

from __future__ import annotations

import argon2
from argon2.exceptions import InvalidHashError, VerificationError


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


class Argon2PasswordHasher:
    def __init__(
        self,
        *,
        time_cost: int = argon2.DEFAULT_TIME_COST,
        memory_cost: int = argon2.DEFAULT_MEMORY_COST,
        parallelism: int = argon2.DEFAULT_PARALLELISM,
    ) -> None:
        self._hasher = argon2.PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_cost,
            parallelism=parallelism,
            type=argon2.Type.ID,
        )

    def hash(self, password: str) -> str:
        return self._hasher.hash(_bytes(password))

    def verify(self, hashed: str, password: str) -> bool:
        if not hashed.isascii():
            return False
        try:
            return self._hasher.verify(hashed, _bytes(password))
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, hashed: str) -> bool:
        """True for an Argon2 hash of other parameters, and for anything not Argon2."""
        try:
            return self._hasher.check_needs_rehash(hashed)
        except (InvalidHashError, ValueError):
            return True
