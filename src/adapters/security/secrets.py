"""Random secrets for credentials, and the embedded default's token-signing secret file."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from domain.auth import SECRET_HEX_LENGTH

SECRET_FILE = "jwt-secret"  # noqa: S105 - a file name, not a secret


class RandomSecrets:
    """32 bytes from the operating system's CSPRNG, as hex: the `SecretSource` port."""

    def new_secret(self) -> str:
        return secrets.token_hex(SECRET_HEX_LENGTH // 2)


def kept_secret(folder: Path) -> bytes:
    """The signing secret kept in `folder`, made on first use (readable by its owner only).

    Kept rather than made per start so that sessions survive a restart. The file appears whole
    (written aside, then linked into place), so of two processes starting at once one
    writes it and both read the same secret.
    """
    path = folder / SECRET_FILE
    folder.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        draft = folder / f".{SECRET_FILE}.{os.getpid()}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(SECRET_HEX_LENGTH // 2) + "\n")
        try:
            os.link(draft, path)  # atomic, and refused if another process got there first
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < SECRET_HEX_LENGTH:
        raise ValueError(f"{path} holds no usable secret; delete it to make a new one")
    return secret.encode("ascii")
