"""One effective schema per node, as the generation rules see it.

A rule asks "which fields does this body have, which are required, what are their bounds": the
answer must not depend on how the spec author spelled the schema. So `shape` resolves a
`SchemaRef`, merges `allOf` branches into one schema (types intersected, bounds tightened,
properties and `required` united) and, for `oneOf` / `anyOf`, takes the first branch that is not
merely `null` merged with the parent's own keywords: the branch a request built from it takes.
Every walk carries the set of `$ref`s being expanded, so a cyclic schema ends.
"""

from __future__ import annotations

from collections.abc import Callable

from attrs import evolve, frozen

from domain.testgen.openapi import ApiSpec
from domain.testgen.schemas import Bound, Schema, SchemaNode, SchemaRef, child


def resolve(spec: ApiSpec, node: SchemaNode) -> Schema:
    """The schema itself: a `SchemaRef` looked up in the spec, anything else as it is."""
    return spec.schema_at(node.pointer) if isinstance(node, SchemaRef) else node


def ref_of(node: SchemaNode) -> str | None:
    return node.pointer if isinstance(node, SchemaRef) else node.ref


def shape(spec: ApiSpec, node: SchemaNode, visited: frozenset[str] = frozenset()) -> Schema:
    """`node` with `allOf` merged in and the first usable `oneOf` / `anyOf` branch chosen."""
    schema = _flatten(spec, node, visited)
    for _ in range(8):  # a branch may itself offer a choice; a few levels are plenty
        branches = schema.one_of or schema.any_of
        if not branches:
            break
        usable = [b for b in branches if ref_of(b) not in visited] or list(branches)
        flat = [_flatten(spec, b, visited) for b in usable]
        chosen = next((b for b in flat if b.types or not b.nullable), flat[0])
        schema = merge(evolve(schema, one_of=(), any_of=()), chosen)
    return schema


def unambiguous(spec: ApiSpec, node: SchemaNode) -> bool:
    """Whether a value that breaks the shaped schema breaks `node` too: not so when a `oneOf` /
    `anyOf` offers another branch that might accept it (a branch that is only `null` cannot)."""
    schema = _flatten(spec, node, frozenset())
    for _ in range(8):  # as deep as `shape` chooses
        branches = schema.one_of or schema.any_of
        if not branches:
            return True
        flat = [_flatten(spec, b, frozenset()) for b in branches]
        usable = [b for b in flat if b.types or not b.nullable]
        if len(usable) != 1:
            return False
        schema = usable[0]
    return False


def _flatten(spec: ApiSpec, node: SchemaNode, visited: frozenset[str]) -> Schema:
    schema = resolve(spec, node)
    if not schema.all_of:
        return schema
    inside = visited | {schema.ref} if schema.ref else visited
    merged = evolve(schema, all_of=())
    for branch in schema.all_of:
        ref = ref_of(branch)
        if ref is not None and ref in inside:
            continue
        merged = merge(merged, _flatten(spec, branch, inside | {ref} if ref else inside))
    return merged


def merge(a: Schema, b: Schema) -> Schema:
    """Both schemas at once (`allOf` of two), keeping `a`'s location and name."""
    properties = dict(a.properties)
    for name, node in b.properties:
        mine = properties.get(name)
        properties[name] = node if mine is None else Schema(_location(mine), all_of=(mine, node))
    additional = (
        False
        if a.additional_properties is False or b.additional_properties is False
        else b.additional_properties
        if a.additional_properties is True
        else a.additional_properties
    )
    return evolve(
        a,
        types=_types(a.types, b.types),
        nullable=a.nullable and b.nullable,
        format=a.format or b.format,
        enum=a.enum if a.enum is not None else b.enum,
        const=a.const or b.const,
        minimum=_tighter(a.minimum, b.minimum, higher=True),
        maximum=_tighter(a.maximum, b.maximum, higher=False),
        min_length=_most(a.min_length, b.min_length, max),
        max_length=_most(a.max_length, b.max_length, min),
        pattern=a.pattern or b.pattern,
        min_items=_most(a.min_items, b.min_items, max),
        max_items=_most(a.max_items, b.max_items, min),
        items=a.items or b.items,
        properties=tuple(properties.items()),
        required=tuple(dict.fromkeys((*a.required, *b.required))),
        additional_properties=additional,
        one_of=a.one_of or b.one_of,
        any_of=a.any_of or b.any_of,
        read_only=a.read_only or b.read_only,
        write_only=a.write_only or b.write_only,
        default=a.default or b.default,
        example=a.example or b.example,
    )


def _location(node: SchemaNode) -> str:
    return node.pointer if isinstance(node, SchemaRef) else node.location


def _types(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    if not a or not b:
        return a or b
    both = [
        "integer" if {t, u} == {"integer", "number"} else t
        for t in a
        for u in b
        if t == u or {t, u} == {"integer", "number"}
    ]
    return tuple(dict.fromkeys(both)) or a


def _tighter(a: Bound | None, b: Bound | None, *, higher: bool) -> Bound | None:
    if a is None or b is None:
        return a or b
    if a.value != b.value:
        return a if (a.value > b.value) == higher else b
    return a if a.exclusive else b


def _most(a: int | None, b: int | None, pick: Callable[[int, int], int]) -> int | None:
    if a is None or b is None:
        return a if b is None else b
    return pick(a, b)


@frozen
class Field:
    """One top-level member of an object schema: as declared (`node`) and as shaped."""

    name: str
    node: SchemaNode
    schema: Schema
    required: bool


def fields(spec: ApiSpec, node: SchemaNode) -> tuple[Field, ...]:
    """The members a request may send, in spec order: read-only ones are the server's to set."""
    body = shape(spec, node)
    visited = frozenset(r for r in (ref_of(node), body.ref) if r)
    found = []
    for name, member in body.properties:
        member_shape = shape(spec, member, visited)
        if member_shape.read_only or resolve(spec, member).read_only:
            continue
        found.append(Field(name, member, member_shape, name in body.required))
    return tuple(found)


def required_pointer(spec: ApiSpec, node: SchemaNode, name: str) -> str | None:
    """Where the spec says `name` is required: the entry of the `required` list naming it."""
    pending: list[tuple[SchemaNode, frozenset[str]]] = [(node, frozenset())]
    while pending:
        current, seen = pending.pop(0)
        ref = ref_of(current)
        if ref is not None and ref in seen:
            continue
        schema = resolve(spec, current)
        if name in schema.required:
            return child(child(schema.location, "required"), schema.required.index(name))
        inside = seen | {ref} if ref else seen
        branches = (*schema.all_of, *(schema.one_of or schema.any_of)[:1])
        pending.extend((branch, inside) for branch in branches)
    return None
