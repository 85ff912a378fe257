"""The one cattrs converter: every structure and unstructure in creditdesk goes through here.

Input from the outside world (JSON bodies, CSV rows, messages, database rows) is structured into
the domain's frozen attrs values, strictly: a number is not silently truncated to an int, a number
is not silently turned into text, and unknown fields are refused. When something is wrong,
`structure()` raises the domain's `ValidationFailed` carrying every problem with its field path,
so callers report all of them at once.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
import cattrs.cols
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from domain.credit.money import Money
from domain.errors import Problem, ValidationFailed
from domain.pii import JsonValue

T = TypeVar("T")
#: A decimal number as text: an optional sign, ASCII digits, an optional fraction and exponent
#: (no spaces, no digit separators); the OpenAPI document shows the same pattern.
DECIMAL_TEXT = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
_DECIMAL_TEXT = re.compile(DECIMAL_TEXT)
#: Decimals are below 10**100 in magnitude: no amount, rate or duration comes near it, and the
#: arithmetic on a larger one (a product, a normalisation) overflows the decimal context.
DECIMAL_DIGITS_MAX = 100
_MONEY_TEXT = re.compile(rf"(?P<amount>{DECIMAL_TEXT}) (?P<currency>\S+)")

converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("expected a whole number")
    return value


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("expected a number")
    return float(value)


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TypeError("expected a decimal number")
    if isinstance(value, str) and not _DECIMAL_TEXT.fullmatch(value):
        raise ValueError("expected a decimal number like 1234.50")
    try:
        # A float goes through its shortest repr so 0.1 stays 0.1, not 0.1000000000000000055.
        number = Decimal(repr(value) if isinstance(value, float) else value)
    except InvalidOperation as error:
        raise ValueError("expected a decimal number") from error
    if not number.is_finite():
        raise ValueError("expected a finite decimal number")
    if number.adjusted() >= DECIMAL_DIGITS_MAX:
        raise ValueError(f"expected a decimal number below 1e{DECIMAL_DIGITS_MAX}")
    return number


def _structure_money(value: object, _: type) -> Money:
    """Money is {"amount": "1234.50", "currency": "EUR"}, or the short form "1234.50 EUR"."""
    if isinstance(value, str):
        short = _MONEY_TEXT.fullmatch(value)
        if short is None:
            raise ValueError('expected money as "1234.50 EUR"')
        return Money(_structure_decimal(short["amount"], Decimal), short["currency"])
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return Money(
            _structure_decimal(value["amount"], Decimal),
            _structure_str(value["currency"], str),
        )
    raise TypeError('expected money as {"amount": "1234.50", "currency": "EUR"}')


def _structure_date(value: object, _: type) -> date:
    if not isinstance(value, str):
        raise TypeError("expected a date like 2026-11-22")
    return date.fromisoformat(value)


def _structure_datetime(value: object, _: type) -> datetime:
    if not isinstance(value, str):
        raise TypeError("expected a timestamp like 2026-11-22T09:30:00+00:00")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("expected a timestamp with its time zone")
    return moment


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError("expected one of the listed values")
    return cls(value)


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise TypeError("expected true or false")
    return value


# These replace cattrs' lenient defaults (which would accept 12.5 as 12, or 17 as "17"). StrEnum
# and IntEnum are named so that their members do not fall to the str and int hooks.
for _cls, _hook in (
    (str, _structure_str),
    (int, _structure_int),
    (float, _structure_float),
    (bool, _structure_bool),
    (enum.Enum, _structure_enum),
    (enum.StrEnum, _structure_enum),
    (enum.IntEnum, _structure_enum),
):
    converter.register_structure_hook(_cls, _hook)


def _unstructure_attrs(cls: type) -> Callable[[Any], dict[str, Any]]:
    """Derived fields (attrs `init=False`, like a monthly payment) are written out for readers."""
    return make_dict_unstructure_fn(cls, converter, _cattrs_include_init_false=True)


def _structure_attrs(cls: type) -> Callable[[Any, type], Any]:
    """Derived fields in the input are dropped: they are always recomputed, never trusted."""
    build: Callable[[Any, type], Any] = make_dict_structure_fn(cls, converter)
    derived = {a.name for a in attrs.fields(cls) if not a.init}
    if not derived:
        return build

    def structure_without_derived(value: Any, target: type) -> Any:
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if k not in derived}
        return build(value, target)

    return structure_without_derived


converter.register_unstructure_hook_factory(attrs.has, _unstructure_attrs)
converter.register_structure_hook_factory(attrs.has, _structure_attrs)
converter.register_structure_hook(Decimal, _structure_decimal)
converter.register_structure_hook(Money, _structure_money)
converter.register_structure_hook(date, _structure_date)
converter.register_structure_hook(datetime, _structure_datetime)
converter.register_unstructure_hook(Decimal, str)
converter.register_unstructure_hook(date, date.isoformat)
converter.register_unstructure_hook(datetime, datetime.isoformat)
converter.register_unstructure_hook(
    Money, lambda m: {"amount": str(m.amount), "currency": m.currency}
)
converter.register_unstructure_hook(
    frozenset, lambda s: sorted(converter.unstructure(x) for x in s)
)


# Stored and sent values need three more: sets as sorted lists (JSON has no sets), `str | int`
# (outbox payload values) without coercion, and `JsonValue` (audit snapshots) taken as the JSON
# it already is, checked rather than copied (and written out as it is).
def _is_set_type(cls: Any) -> bool:
    return get_origin(cls) in (frozenset, set)


def _unstructure_set(cls: Any) -> Callable[[Any], list[Any]]:
    (item_type,) = get_args(cls) or (Any,)

    def as_sorted_list(values: Any) -> list[Any]:
        return sorted(converter.unstructure(item, unstructure_as=item_type) for item in values)

    return as_sorted_list


def _structure_str_or_int(value: object, _: type) -> str | int:
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise TypeError("expected text or a whole number")


def _check_json(value: object) -> None:
    if value is None or isinstance(value, bool | int | float | str):
        return
    if isinstance(value, list):
        for item in value:
            _check_json(item)
        return
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        for item in value.values():
            _check_json(item)
        return
    raise TypeError("expected JSON data")


_JSON_SCALARS = frozenset({bool, int, float, str, type(None)})


def _is_json_value(cls: Any) -> bool:
    """`JsonValue` as attrs resolves it in a field (its forward references expanded once)."""
    if get_origin(cls) not in (Union, UnionType):
        return False
    args = get_args(cls)
    scalars = {arg for arg in args if arg in _JSON_SCALARS}
    containers = {get_origin(arg) for arg in args if arg not in _JSON_SCALARS}
    return scalars == _JSON_SCALARS and containers == {list, dict}


def _structure_json(value: object, _: type) -> JsonValue:
    _check_json(value)
    return value  # type: ignore[return-value]  # checked just above


def _unstructure_json(value: JsonValue) -> JsonValue:
    """JSON data is its own unstructured form: passed on whole, not rebuilt leaf by leaf
    through the union's hooks (an audit event's snapshots have hundreds of leaves)."""
    return value


def _is_homogeneous_collection(cls: Any) -> bool:
    args = get_args(cls)
    if get_origin(cls) is tuple:
        return len(args) == 2 and args[1] is Ellipsis
    return get_origin(cls) in (list, set, frozenset) and len(args) == 1


def _structure_collection(cls: Any) -> Callable[[Any, Any], Any]:
    """A list, set or tuple of one item type read from a JSON array only: cattrs would take
    any iterable, so an object became the list of its keys and a text the list of its letters,
    where the documented body says an array."""
    items_type: Any = list[get_args(cls)[0]]  # type: ignore[misc]
    build = cattrs.cols.list_structure_factory(items_type, converter)
    origin = get_origin(cls)

    def from_array(value: Any, _: Any) -> Any:
        if not isinstance(value, list | tuple | set | frozenset):
            raise TypeError("expected a list")
        items = build(value, list)
        return items if origin is list else origin(items)

    return from_array


converter.register_unstructure_hook_factory(_is_set_type, _unstructure_set)
converter.register_structure_hook_factory(_is_homogeneous_collection, _structure_collection)
converter.register_structure_hook_func(lambda t: t == str | int, _structure_str_or_int)
converter.register_structure_hook_func(_is_json_value, _structure_json)
converter.register_unstructure_hook_func(_is_json_value, _unstructure_json)


_PLAIN_MEANING: dict[type, str] = {
    str: "must be text",
    int: "must be a whole number",
    float: "must be a number",
    bool: "must be true or false",
    Decimal: "must be a decimal number",
    Money: 'must be money, {"amount": "1234.50", "currency": "EUR"}',
    date: "must be a date like 2026-11-22",
    datetime: "must be a timestamp with its time zone, like 2026-11-22T09:30:00+00:00",
}


def _describe(error: BaseException, expected: type | None) -> str:
    if isinstance(error, KeyError):
        return "is required"
    if isinstance(error, ForbiddenExtraKeysError):
        return f"has unknown fields: {', '.join(sorted(error.extra_fields))}"
    if expected in _PLAIN_MEANING:
        return _PLAIN_MEANING[expected]
    if isinstance(expected, type) and attrs.has(expected):
        return "must be an object with the documented fields"
    if get_origin(expected) in (list, set, frozenset, tuple):
        return "must be a list"
    if isinstance(expected, type) and issubclass(expected, enum.Enum):
        return f"must be one of: {', '.join(str(m.value) for m in expected)}"
    return "has the wrong shape"


def _problem(line: str) -> Problem:
    message, _, path = line.rpartition(" @ ")
    path = path.removeprefix("$").removeprefix(".")
    # An unknown-field error is reported on the object that has it; an empty path is the root.
    return Problem(path or "(body)", message)


def structure(data: object, cls: type[T]) -> T:
    """`data` as a `cls`, or `ValidationFailed` naming every field that does not fit."""
    try:
        return converter.structure(data, cls)
    except (cattrs.ClassValidationError, cattrs.IterableValidationError) as group:
        lines = cattrs.transform_error(group, format_exception=_describe)
        raise ValidationFailed(tuple(_problem(line) for line in lines)) from None
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        # The whole value has the wrong shape (a list where an object belongs, say).
        raise ValidationFailed((Problem("(body)", _describe(error, cls)),)) from None


def unstructure(value: object) -> Any:
    """`value` as plain JSON-ready data (dicts, lists, strings, numbers)."""
    return converter.unstructure(value)
