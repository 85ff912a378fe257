"""JSON Schema as the generation rules need it, read from an OpenAPI 3.0 or 3.1 document.

`Schema` keeps only the keywords a rule uses (types, bounds, lengths, enum, pattern, format,
properties, items, composition) and normalises the two dialects to one form:

- 3.1 `type: [string, "null"]` and 3.0 `nullable: true` both become `nullable=True`, and
  `types` never holds "null";
- 3.0 `exclusiveMinimum: true` beside `minimum`, and 3.1 `exclusiveMinimum: 5`, both become a
  `Bound(value, exclusive=True)`; when both an inclusive and an exclusive bound are given, the
  tighter one is kept.

Local `$ref`s (`#/...`) are resolved while reading, so a rule never follows a pointer. A schema
that refers to itself (a tree node whose `children` are nodes) cannot be a finite tree of values:
the edge that closes the cycle is a `SchemaRef(pointer)` node instead, resolvable with
`ApiSpec.schema_at(pointer)`. So is a `$ref` met very deep (a long chain of schemas naming each
other, say Owner -> Pet -> Owner's other pets...): its target is read on its own rather than
inlined, which keeps the reader's recursion bounded. A rule that descends without resolving
`SchemaRef`s therefore always terminates, and one that wants to go deeper resolves them one level
at a time; every `SchemaRef` resolves. A target named from several places is one shared value:
the result is a DAG, so a walker over a whole spec should remember the `ref`s it has visited.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import evolve, frozen

from domain.errors import Problem

# Nesting plus `$ref` hops, counted together: real specs stay far below this, and stopping here
# (with a problem) keeps the recursive reader well inside the interpreter's stack.
_MAX_DEPTH = 100
_INLINE_REFS_BELOW = 40  # a `$ref` met deeper than this is left as a `SchemaRef`, read on its own
JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})


@frozen
class Given:
    """A literal from the spec (`const`, `default`, `example`); wrapped because null is a value."""

    value: object


@frozen
class Bound:
    """One numeric bound, whichever dialect wrote it."""

    value: int | float
    exclusive: bool = False


@frozen
class SchemaRef:
    """The edge that closes a cycle: the schema at `pointer` is an ancestor of this node."""

    pointer: str


@frozen
class Schema:
    """A schema's keywords that test generation uses; `location` is where it was read from."""

    location: str
    types: tuple[str, ...] = ()  # empty: any type
    nullable: bool = False
    format: str | None = None
    enum: tuple[object, ...] | None = None
    const: Given | None = None
    minimum: Bound | None = None
    maximum: Bound | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    items: SchemaNode | None = None
    properties: tuple[tuple[str, SchemaNode], ...] = ()
    required: tuple[str, ...] = ()
    additional_properties: bool | SchemaNode = True
    all_of: tuple[SchemaNode, ...] = ()
    one_of: tuple[SchemaNode, ...] = ()
    any_of: tuple[SchemaNode, ...] = ()
    read_only: bool = False
    write_only: bool = False
    default: Given | None = None
    example: Given | None = None
    ref: str | None = None  # the `$ref` this schema was reached through, naming the resource

    def property_schema(self, name: str) -> SchemaNode | None:
        return next((schema for key, schema in self.properties if key == name), None)


SchemaNode = Schema | SchemaRef


def escape(token: str) -> str:
    """One JSON pointer reference token (RFC 6901): `~` then `/` escaped."""
    return token.replace("~", "~0").replace("/", "~1")


def child(pointer: str, token: object) -> str:
    return f"{pointer}/{escape(str(token))}"


class DocumentReader:
    """Reads one document, collecting every problem instead of stopping at the first.

    Mutable on purpose and never exposed: it is the working state of one `read_spec` call.
    """

    def __init__(self, document: Mapping[str, object]) -> None:
        self.document = document
        self.problems: list[Problem] = []
        self.schemas: dict[str, Schema] = {}  # every `$ref` target read, by pointer
        self._resolving: list[str] = []
        self._deferred: list[str] = []  # `$ref` targets met too deep to inline, read later

    def read_deferred(self) -> None:
        """Read, each from the top, the targets left as `SchemaRef`s for depth alone."""
        while self._deferred:
            target = self._deferred.pop()
            if target not in self.schemas:
                self._schema_ref(target, target, 0)

    def problem(self, pointer: str, message: str) -> None:
        self.problems.append(Problem(pointer, message))

    def lookup(self, ref: object, pointer: str) -> tuple[str, object] | None:
        """The target of a `$ref` found at `pointer`, or None (and a problem) when there is none."""
        if not isinstance(ref, str):
            self.problem(pointer, "$ref must be text")
            return None
        if not ref.startswith("#"):
            self.problem(pointer, f"external $ref {ref!r} is not supported; inline it")
            return None
        node: object = self.document
        for raw in ref[1:].split("/")[1:] if ref != "#" else []:
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                self.problem(pointer, f"$ref {ref!r} points to nothing")
                return None
        return ref, node

    def deref(self, value: object, pointer: str) -> tuple[object, str] | None:
        """Follow `$ref`s of a non-schema object (parameter, response...) to the object itself."""
        seen: set[str] = set()
        while isinstance(value, Mapping) and "$ref" in value:
            found = self.lookup(value["$ref"], child(pointer, "$ref"))
            if found is None:
                return None
            pointer, value = found
            if pointer in seen:
                self.problem(pointer, "$ref cycle that never reaches an object")
                return None
            seen.add(pointer)
        return value, pointer

    def schema(self, value: object, pointer: str, depth: int = 0) -> SchemaNode | None:
        if depth > _MAX_DEPTH:
            self.problem(
                pointer, f"schema nested (through $refs too) deeper than {_MAX_DEPTH} levels"
            )
            return None
        if isinstance(value, bool):  # 3.1: `true` accepts anything, `false` nothing
            return Schema(pointer) if value else Schema(pointer, enum=())
        if not isinstance(value, Mapping):
            self.problem(pointer, "a schema must be an object")
            return None
        if "$ref" in value:
            return self._schema_ref(value["$ref"], child(pointer, "$ref"), depth)
        return self._schema_object(value, pointer, depth)

    def _schema_ref(self, ref: object, pointer: str, depth: int) -> SchemaNode | None:
        found = self.lookup(ref, pointer)
        if found is None:
            return None
        target, value = found
        if target in self._resolving:
            return SchemaRef(target)
        if target in self.schemas:
            return self.schemas[target]
        if depth > _INLINE_REFS_BELOW:
            self._deferred.append(target)
            return SchemaRef(target)
        self._resolving.append(target)
        try:
            node = self.schema(value, target, depth + 1)
        finally:
            self._resolving.pop()
        if isinstance(node, SchemaRef):
            self.problem(target, "$ref cycle that never reaches a schema")
            return None
        if node is not None:
            node = _with_ref(node, target)
            self.schemas[target] = node
        return node

    def _schema_object(self, value: Mapping[str, object], at: str, depth: int) -> Schema:
        def sub(key: str) -> SchemaNode | None:
            return self.schema(value[key], child(at, key), depth + 1) if key in value else None

        def subs(key: str) -> tuple[SchemaNode, ...]:
            raw = value.get(key)
            if raw is None:
                return ()
            if not isinstance(raw, list):
                self.problem(child(at, key), "must be a list of schemas")
                return ()
            read = (self.schema(s, child(child(at, key), i), depth + 1) for i, s in enumerate(raw))
            return tuple(s for s in read if s is not None)

        types, nullable = self._types(value, at)
        properties: list[tuple[str, SchemaNode]] = []
        raw_properties = value.get("properties")
        if isinstance(raw_properties, Mapping):
            for name, raw in raw_properties.items():
                node = self.schema(raw, child(child(at, "properties"), name), depth + 1)
                if node is not None:
                    properties.append((str(name), node))
        elif raw_properties is not None:
            self.problem(child(at, "properties"), "must be an object")
        additional = value.get("additionalProperties", True)
        return Schema(
            location=at,
            types=types,
            nullable=nullable,
            format=self._text(value, "format", at),
            enum=self._enum(value, at),
            const=Given(value["const"]) if "const" in value else None,
            minimum=self._bound(value, "minimum", "exclusiveMinimum", at, max),
            maximum=self._bound(value, "maximum", "exclusiveMaximum", at, min),
            min_length=self._count(value, "minLength", at),
            max_length=self._count(value, "maxLength", at),
            pattern=self._text(value, "pattern", at),
            min_items=self._count(value, "minItems", at),
            max_items=self._count(value, "maxItems", at),
            items=sub("items"),
            properties=tuple(properties),
            required=self._names(value, at),
            additional_properties=additional
            if isinstance(additional, bool)
            else (sub("additionalProperties") or True),
            all_of=subs("allOf"),
            one_of=subs("oneOf"),
            any_of=subs("anyOf"),
            read_only=value.get("readOnly") is True,
            write_only=value.get("writeOnly") is True,
            default=Given(value["default"]) if "default" in value else None,
            example=Given(value["example"]) if "example" in value else None,
        )

    def _types(self, value: Mapping[str, object], at: str) -> tuple[tuple[str, ...], bool]:
        raw = value.get("type")
        listed = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        if raw is not None and not listed:
            self.problem(child(at, "type"), "must be a type name or a list of them")
        unknown = [t for t in listed if not isinstance(t, str) or t not in JSON_TYPES]
        if unknown:
            self.problem(child(at, "type"), f"unknown type {unknown[0]!r}")
        names = tuple(t for t in listed if isinstance(t, str) and t in JSON_TYPES)
        nullable = value.get("nullable") is True or "null" in names
        return tuple(t for t in names if t != "null"), nullable

    def _text(self, value: Mapping[str, object], key: str, at: str) -> str | None:
        raw = value.get(key)
        if raw is not None and not isinstance(raw, str):
            self.problem(child(at, key), "must be text")
            return None
        return raw

    def _count(self, value: Mapping[str, object], key: str, at: str) -> int | None:
        raw = value.get(key)
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            self.problem(child(at, key), "must be a non-negative integer")
            return None
        return raw

    def _number(self, value: Mapping[str, object], key: str, at: str) -> int | float | None:
        raw = value.get(key)
        if raw is None or isinstance(raw, bool):
            return None
        if not isinstance(raw, int | float):
            self.problem(child(at, key), "must be a number")
            return None
        return raw

    def _bound(
        self, value: Mapping[str, object], key: str, exclusive_key: str, at: str, tighter: object
    ) -> Bound | None:
        plain = self._number(value, key, at)
        flag = value.get(exclusive_key)
        if isinstance(flag, bool):  # 3.0: a flag on `minimum` / `maximum`
            return None if plain is None else Bound(plain, exclusive=flag)
        exclusive = self._number(value, exclusive_key, at)  # 3.1: a bound of its own
        if exclusive is None:
            return None if plain is None else Bound(plain)
        if (
            plain is None
            or (tighter is max and exclusive >= plain)
            or (tighter is min and exclusive <= plain)
        ):
            return Bound(exclusive, exclusive=True)
        return Bound(plain)

    def _enum(self, value: Mapping[str, object], at: str) -> tuple[object, ...] | None:
        raw = value.get("enum")
        if raw is None:
            return None
        if not isinstance(raw, list):
            self.problem(child(at, "enum"), "must be a list")
            return None
        return tuple(raw)

    def _names(self, value: Mapping[str, object], at: str) -> tuple[str, ...]:
        raw = value.get("required", [])
        if isinstance(raw, bool):  # a 3.0 mistake seen in the wild: `required: true` on a property
            return ()
        if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
            self.problem(child(at, "required"), "must be a list of property names")
            return ()
        return tuple(raw)


def _with_ref(node: Schema, target: str) -> Schema:
    return evolve(node, ref=target)
