"""What the rules work out once per spec and then look up: operation names and valid requests.

Every rule asks for the valid request of the operation it looks at, and a case's name needs to
know whether its operation id is unique: worked out afresh each time, that made generation
quadratic in the number of operations. The answers are pure functions of the (immutable) spec,
so they are kept beside the spec object itself, keyed by its identity and holding it, so an id
is never mistaken for another spec's; a handful of specs are kept at most.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from domain.testgen.openapi import ApiSpec

T = TypeVar("T")
_KEPT = 8
_memos: dict[int, tuple[ApiSpec, dict[object, object]]] = {}


def remembered(spec: ApiSpec, key: object, work: Callable[[], T]) -> T:
    """`work()`'s answer for `spec` and `key`, computed the first time only."""
    entry = _memos.get(id(spec))
    if entry is None or entry[0] is not spec:
        if len(_memos) >= _KEPT:
            _memos.clear()
        entry = (spec, {})
        _memos[id(spec)] = entry
    answers = entry[1]
    if key not in answers:
        answers[key] = work()
    return answers[key]  # type: ignore[return-value]
