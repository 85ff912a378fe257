"""Domain values to the `record` column and back, through the one converter.

A row keeps its domain value whole, as `adapters.serialization.converter` unstructures it, and
reads it back with the same converter; the other columns of a row are projections of that value
for the database to filter, sort and constrain on. So what is read is exactly what was stored:
offsets of timestamps, exact decimals and an audit event's hashed content included.

The converter (in `adapters.serialization`) lacked three hooks that stored values need; they
are registered below, on that same converter, until they move there:
  * sets typed `frozenset[X]` unstructure to sorted lists (JSON has no sets),
  * `str | int` (outbox payload values) structures strictly, without coercion,
  * `JsonValue` (audit snapshots) structures as the JSON it already is, checked, not copied.
"""

from __future__ import annotations

from collections.abc import Callable
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin

from adapters.serialization import converter
from domain.pii import JsonValue

T = TypeVar("T")


def to_record(value: object) -> Any:
    """The JSON-ready form of a domain value, as the one converter writes it."""
    return converter.unstructure(value)


def from_record(data: Any, cls: type[T]) -> T:
    """The domain value stored as `data`."""
    return converter.structure(data, cls)


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


converter.register_unstructure_hook_factory(_is_set_type, _unstructure_set)
converter.register_structure_hook_func(lambda t: t == str | int, _structure_str_or_int)
converter.register_structure_hook_func(_is_json_value, _structure_json)
