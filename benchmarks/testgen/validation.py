"""Checking an item's input against the spec's `ItemInput` by hand, fault by fault.

By hand rather than through Litestar's models on purpose: each seeded fault switches off or
shifts exactly one check, and the answers (400 for text that is not JSON, 422 for JSON that
breaks the schema) are the ones the spec documents, whatever the framework would choose.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from benchmarks.testgen.spec import NAME_MAX, QUANTITY_MAX, STATUSES, TAG_MAX, TAGS_MAX

_SKU = re.compile(r"[A-Z]{3}-[0-9]{4}")  # fullmatch: `$` in a JSON Schema never skips a "\n"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class NotJson(Exception):
    """The body is not a JSON text (400)."""


class Invalid(Exception):
    """The body is JSON but breaks the schema (422); the message says where."""


def _no_constant(name: str) -> None:
    raise NotJson(f"{name} is not JSON")


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise NotJson(str(error)) from None


def _integer(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _text(value: object, field: str, shortest: int, longest: int | None) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{field} must be a string")
    if len(value) < shortest or (longest is not None and len(value) > longest):
        raise Invalid(f"{field} must be {shortest} to {longest} characters long")
    return value


def item_input(body: object, fault: str) -> dict[str, Any]:
    """The stored fields of a valid `ItemInput`, or `Invalid`."""
    if not isinstance(body, dict):
        raise Invalid("the body must be an object")
    required = ["name", "sku", "quantity"]
    if fault != "required_status_unchecked":
        required.append("status")
    missing = [name for name in required if name not in body]
    if missing:
        raise Invalid(f"missing: {', '.join(missing)}")
    name_max = NAME_MAX - 1 if fault == "name_max_off_by_one" else NAME_MAX
    item: dict[str, Any] = {"name": _text(body["name"], "name", 1, name_max)}
    sku = _text(body["sku"], "sku", 0, None)
    if fault != "sku_pattern_unchecked" and not _SKU.fullmatch(sku):
        raise Invalid("sku must look like ABC-1234")
    item["sku"] = sku
    quantity = _integer(body["quantity"])
    quantity_max = QUANTITY_MAX + 1 if fault == "quantity_max_off_by_one" else QUANTITY_MAX
    if quantity is None or not 0 <= quantity <= quantity_max:
        raise Invalid(f"quantity must be an integer from 0 to {QUANTITY_MAX}")
    item["quantity"] = quantity
    status = body.get("status", "active")
    if not isinstance(status, str) or (fault != "status_enum_unchecked" and status not in STATUSES):
        raise Invalid(f"status must be one of {', '.join(STATUSES)}")
    item["status"] = status
    item["tags"] = _tags(body.get("tags", []))
    if "available_from" in body:
        item["available_from"] = _date(body["available_from"], fault)
    return item


def _tags(value: object) -> list[str]:
    if not isinstance(value, list) or len(value) > TAGS_MAX:
        raise Invalid(f"tags must be a list of at most {TAGS_MAX} strings")
    return [_text(tag, "tags[]", 1, TAG_MAX) for tag in value]


def _date(value: object, fault: str) -> str:
    if not isinstance(value, str):
        raise Invalid("available_from must be a string")
    if fault == "date_format_unchecked":
        return value
    try:
        if _DATE.fullmatch(value):
            date.fromisoformat(value)
            return value
    except ValueError:
        pass
    raise Invalid("available_from must be a date, YYYY-MM-DD")
