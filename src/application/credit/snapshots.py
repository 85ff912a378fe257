"""Domain values as JSON snapshots, for the `old` and `new` of audit events.

`domain.audit.record_event` masks what it recognises as personal data and hashes the rest, so a
snapshot only has to be plain JSON, the same for equal values (sets are sorted) and free of
what must never be stored in a trail at all (a password hash). Fields that are personal data
but that `domain.pii` has no masker for are left out rather than stored in the clear.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

import attrs

from domain.credit.application import Application
from domain.pii import JsonValue
from domain.tenancy import User

# Personal data that domain.pii cannot mask yet: kept out of audit snapshots altogether.
_UNMASKABLE_APPLICANT_FIELDS = ("date_of_birth",)


def to_json(value: object) -> JsonValue:
    """`value` as JSON: attrs classes as objects, enums by value, Decimals as exact strings."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return to_json(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    kind = type(value)
    if attrs.has(kind):
        return {a.name: to_json(getattr(value, a.name)) for a in attrs.fields(kind)}
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        items = [to_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    raise TypeError(f"no JSON form for {type(value).__name__}")


def snapshot(value: object) -> dict[str, JsonValue]:
    """An attrs value as a JSON object."""
    found = to_json(value)
    if not isinstance(found, dict):
        raise TypeError(f"{type(value).__name__} is not a record")
    return found


def _member(record: dict[str, JsonValue], key: str) -> dict[str, JsonValue]:
    found = record[key]
    if not isinstance(found, dict):
        raise TypeError(f"{key} is not a record")
    return found


def application_snapshot(application: Application) -> dict[str, JsonValue]:
    found = snapshot(application)
    personal = _member(_member(_member(found, "form"), "applicant"), "personal")
    for name in _UNMASKABLE_APPLICANT_FIELDS:
        personal.pop(name, None)
    return found


def user_snapshot(user: User) -> dict[str, JsonValue]:
    """A user without the password hash, and without the display name (no masker for it)."""
    found = snapshot(user)
    found.pop("password_hash", None)
    found.pop("display_name", None)
    return found
