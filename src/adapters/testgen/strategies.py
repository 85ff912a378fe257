"""Hypothesis strategies written out as source from the raw JSON schemas of a spec document.

A property test draws request bodies from the schema the spec gives; the strategy is written in
the test module as readable code (`st.fixed_dictionaries({...}, optional={...})`), not built at
run time, so a reviewer sees what is drawn. Each `$ref` target becomes one module constant named
after the schema (`NEW_PET = ...`), defined before the constants that use it; a reference back to
a schema still being defined (a cycle: a pet's children are pets) is `st.deferred(lambda: NEW_PET)`.

Both dialects: 3.0 `nullable` and boolean `exclusiveMinimum`, 3.1 type lists and numeric
exclusive bounds. Properties are taken in name order, so output never depends on dict order.
Read-only properties are left out of request bodies, as the spec says a client does not send them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.testgen.pysource import Atom, Bracket, Node, Pair, call, constant_name, string, value
from adapters.testgen.scalar_strategies import count, integer, number, string_strategy
from adapters.testgen.schema_reading import must_contain, nullable, resolve, types_of

ANY_JSON = call(
    "st.one_of", Atom("st.none()"), Atom("st.booleans()"), Atom("st.integers()"), Atom("st.text()")
)
_SCALARS = frozenset({"string", "integer", "number", "boolean"})


class StrategyWriter:
    """Writes the strategies of one test module; `definitions` are its constants in the order
    they must appear. Working state of one rendering, never shared."""

    def __init__(self, document: Mapping[str, Any], taken: set[str]) -> None:
        self.document = document
        self.definitions: list[tuple[str, Node]] = []
        self._names: dict[str, str] = {}
        self._done: set[str] = set()
        self._taken = taken

    def at(self, pointer: str) -> Node:
        """The strategy for the schema at `pointer` (which may itself be a `$ref`); a named
        schema (`#/components/schemas/Pet`) is its module constant, shared with any `$ref`."""
        if pointer.startswith("#/components/schemas/") and pointer.count("/") == 3:
            return self._ref(pointer)
        return self.schema(resolve(self.document, pointer))

    def schema(self, raw: Any) -> Node:
        if raw is True or not isinstance(raw, Mapping):
            return ANY_JSON if raw is not False else Atom("st.nothing()")
        ref = raw.get("$ref")
        if isinstance(ref, str):
            return self._ref(ref) if ref.startswith("#") else ANY_JSON
        if isinstance(raw.get("allOf"), list):
            return self.schema(self._merged(raw, set()))
        drawn = self._unwrapped(raw)
        return call("st.one_of", Atom("st.none()"), drawn) if nullable(raw) else drawn

    def _ref(self, target: str) -> Node:
        if target in self._done:
            return Atom(self._names[target])
        if target in self._names:  # still being defined: a cycle
            deferred = Atom(f"st.deferred(lambda: {self._names[target]})")
            if not must_contain(self.document, resolve(self.document, target), target, set()):
                return deferred
            # Every instance would contain another (a required `parent` of its own schema): no
            # finite value exists, so an empty object ends the recursion; the server must refuse
            # it with a 4XX, which a property test admits.
            return call("st.one_of", Atom("st.just({})"), deferred)
        self._names[target] = constant_name(target.rsplit("/", 1)[-1], self._taken)
        node = self.schema(resolve(self.document, target))
        self.definitions.append((self._names[target], node))
        self._done.add(target)
        return Atom(self._names[target])

    def _unwrapped(self, raw: Mapping[str, Any]) -> Node:
        if "const" in raw:
            return call("st.just", value(raw["const"]))
        if isinstance(raw.get("enum"), list):
            return (
                call("st.sampled_from", value(raw["enum"])) if raw["enum"] else Atom("st.nothing()")
            )
        for key in ("oneOf", "anyOf"):
            if isinstance(raw.get(key), list) and raw[key]:
                return call("st.one_of", *(self.schema(part) for part in raw[key]))
        types = [t for t in types_of(raw) if t != "null"]
        if not types:
            return Atom("st.none()") if "null" in types_of(raw) else ANY_JSON
        drawn = [self._typed(kind, raw) for kind in types]
        return drawn[0] if len(drawn) == 1 else call("st.one_of", *drawn)

    def _typed(self, kind: str, raw: Mapping[str, Any]) -> Node:
        if kind == "string":
            return string_strategy(raw)
        if kind == "integer":
            return integer(raw)
        if kind == "number":
            return number(raw)
        if kind == "boolean":
            return Atom("st.booleans()")
        if kind == "array":
            items = raw.get("items", True)
            unique = raw.get("uniqueItems") is True and set(types_of(items)) <= _SCALARS
            return call(
                "st.lists",
                self.schema(items),
                min_size=count(raw, "minItems"),
                max_size=count(raw, "maxItems"),
                unique=Atom("True") if unique and types_of(items) else None,
            )
        return self._object(raw)

    def _object(self, raw: Mapping[str, Any]) -> Node:
        properties = raw.get("properties")
        members = sorted(properties.items()) if isinstance(properties, Mapping) else []
        required = set(raw.get("required", [])) if isinstance(raw.get("required"), list) else set()
        sent = [
            (str(name), schema)
            for name, schema in members
            if not (isinstance(schema, Mapping) and schema.get("readOnly") is True)
        ]
        extra = raw.get("additionalProperties")
        if not sent and isinstance(extra, Mapping):
            return call(
                "st.dictionaries", Atom("st.text()"), self.schema(extra), max_size=Atom("5")
            )

        def members_of(names: list[tuple[str, Any]]) -> Bracket:
            return Bracket(
                "{", tuple(Pair(f"{string(k)}: ", self.schema(v)) for k, v in names), "}"
            )

        optional = [(k, v) for k, v in sent if k not in required]
        return call(
            "st.fixed_dictionaries",
            members_of([(k, v) for k, v in sent if k in required]),
            optional=members_of(optional) if optional else None,
        )

    def _merged(self, raw: Mapping[str, Any], seen: set[str]) -> dict[str, Any]:
        """`allOf` folded into one schema: properties and required joined, the first part to
        give any other keyword wins. A part that refers back to a schema being merged is
        skipped, so a cycle through `allOf` ends."""
        merged: dict[str, Any] = {k: v for k, v in raw.items() if k != "allOf"}
        properties: dict[str, Any] = dict(merged.get("properties") or {})
        required: list[str] = list(merged.get("required") or [])
        for given in raw.get("allOf", []):
            part = given
            while isinstance(part, Mapping) and isinstance(part.get("$ref"), str):
                target = part["$ref"]
                if target in seen or not target.startswith("#"):
                    part = {}
                    break
                seen = seen | {target}
                part = resolve(self.document, target)
            if not isinstance(part, Mapping):
                continue
            folded = self._merged(part, seen) if "allOf" in part else part
            properties.update(folded.get("properties") or {})
            required.extend(r for r in folded.get("required") or [] if r not in required)
            for key, item in folded.items():
                merged.setdefault(key, item)
        if properties:
            merged["properties"], merged["type"] = properties, merged.get("type", "object")
        if required:
            merged["required"] = required
        return merged
