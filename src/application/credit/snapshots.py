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


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """The fields of an attrs class in order, None for any other class: looked up once a class
    (every audit event snapshots a few records of hundreds of fields)."""
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = tuple(a.name for a in attrs.fields(kind)) if attrs.has(kind) else None
    return _FIELD_NAMES[kind]


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
    names = _field_names(type(value))
    if names is not None:
        return {name: to_json(getattr(value, name)) for name in names}
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


def application_snapshots(
    old: Application, new: Application
) -> tuple[dict[str, JsonValue], dict[str, JsonValue]]:
    """`application_snapshot` of an application before and after a change. When the change
    left the form alone (a status moved), both share the form's JSON, built once: the audit
    event then masks it once and does not compare it with itself (`domain.audit.diff`)."""
    before = application_snapshot(old)
    if new.form is not old.form:
        return before, application_snapshot(new)
    after = {
        name: before[name] if name == "form" else to_json(getattr(new, name)) for name in before
    }
    return before, after


def user_snapshot(user: User) -> dict[str, JsonValue]:
    """A user without the password hash, and without the display name (no masker for it)."""
    found = snapshot(user)
    found.pop("password_hash", None)
    found.pop("display_name", None)
    return found
