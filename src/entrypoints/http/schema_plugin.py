"""The OpenAPI schema of the domain's values, as the one converter reads them from JSON.

Litestar's own rendering of an attrs class allows any extra key, and shows a `Decimal` as a
JSON number only; `adapters.serialization` refuses unknown keys and reads a decimal from a
number or its text, and money from `{"amount", "currency"}` or the short "1234.50 EUR". This
plugin says so, so a generated client (or a schema checker) sends what the API accepts. A
field computed from others (attrs `init=False`, like a monthly payment) is shown but never
required: the converter drops it on the way in and writes it on the way out. What the
server checks beyond the types (lengths, bounds, formats, a valid example) comes from
`schema_rules.RULES`, class by class.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import attrs
from litestar.openapi.spec import OpenAPIType, Reference, Schema
from litestar.plugins.attrs import AttrsSchemaPlugin
from litestar.typing import FieldDefinition

from adapters.serialization import DECIMAL_DIGITS_MAX, DECIMAL_TEXT
from domain.credit.money import Money
from entrypoints.http.schema_rules import RULES, Rule

CURRENCY = "[A-Z]{3}"
#: The keywords that bound a number; on a decimal or money field they bound its number form.
NUMERIC_BOUNDS = frozenset({"minimum", "maximum", "exclusive_minimum", "exclusive_maximum"})


def decimal_schema() -> Schema:
    return Schema(
        one_of=[
            Schema(
                type=OpenAPIType.NUMBER,
                exclusive_minimum=-(10.0**DECIMAL_DIGITS_MAX),
                exclusive_maximum=10.0**DECIMAL_DIGITS_MAX,
            ),
            Schema(type=OpenAPIType.STRING, pattern=f"^{DECIMAL_TEXT}$"),
        ],
        description="A decimal number, as a JSON number or as text (exact: prefer text)",
    )


def money_schema() -> Schema:
    return Schema(
        one_of=[
            Schema(
                type=OpenAPIType.OBJECT,
                properties={
                    "amount": decimal_schema(),
                    "currency": Schema(type=OpenAPIType.STRING, pattern=f"^{CURRENCY}$"),
                },
                required=["amount", "currency"],
                additional_properties=False,
            ),
            Schema(
                type=OpenAPIType.STRING,
                pattern=f"^{DECIMAL_TEXT} {CURRENCY}$",
                description='The short form, "1234.50 EUR"',
            ),
        ],
        description="An exact amount and its ISO 4217 currency",
    )


class DomainSchemaPlugin(AttrsSchemaPlugin):
    """Attrs classes as closed objects, and money and decimals as the converter reads them.
    Given to the app, it stands in for Litestar's default attrs plugin."""

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return value in (Decimal, Money) or (isinstance(value, type) and attrs.has(value))

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        annotation = field_definition.type_
        if annotation is Decimal:
            return decimal_schema()
        if annotation is Money:
            return money_schema()
        hints = field_definition.get_type_hints(include_extras=True, resolve_generics=True)
        fields = attrs.fields_dict(annotation)
        schema: Schema = schema_creator.create_component_schema(
            field_definition,
            required=sorted(
                name
                for name, attribute in fields.items()
                if attribute.init and attribute.default is attrs.NOTHING
            ),
            property_fields={
                name: FieldDefinition.from_kwarg(hints[name], name) for name in fields
            },
        )
        schema.additional_properties = False
        documented = RULES.get(annotation)
        if documented is not None and schema.properties is not None:
            for name, rule in documented.fields.items():
                schema.properties[name] = constrained(schema.properties[name], rule)
            if documented.example is not None:
                schema.example = dict(documented.example)
        return schema


def constrained(schema: Schema | Reference, rule: Rule) -> Schema | Reference:
    """`schema` with `rule`'s keywords, numeric bounds reaching into a decimal's or money's
    number form (their text form names the bounds in its description)."""
    if isinstance(schema, Reference):  # an enum or a class of its own: kept whole
        return Schema(all_of=[schema], **rule)
    bounds = {key: value for key, value in rule.items() if key in NUMERIC_BOUNDS}
    rest = {key: value for key, value in rule.items() if key not in NUMERIC_BOUNDS}
    if bounds and schema.one_of:
        rest["one_of"] = [_bounded(branch, bounds) for branch in schema.one_of]
        bounds = {}
    return dataclasses.replace(schema, **bounds, **rest)


def _bounded(schema: Schema | Reference, bounds: Rule) -> Schema | Reference:
    if isinstance(schema, Reference):
        return schema
    if schema.type in (OpenAPIType.NUMBER, OpenAPIType.INTEGER):
        return dataclasses.replace(schema, **bounds)
    if schema.one_of:
        return dataclasses.replace(schema, one_of=[_bounded(b, bounds) for b in schema.one_of])
    if schema.properties and "amount" in schema.properties:
        amount = _bounded(schema.properties["amount"], bounds)
        return dataclasses.replace(schema, properties={**schema.properties, "amount": amount})
    words = ", ".join(f"{key.replace('_', ' ')} {value:,.15g}" for key, value in bounds.items())
    return dataclasses.replace(schema, description=f"{schema.description or ''} ({words})".strip())
