"""The OpenAPI schema of the domain's values, as the one converter reads them from JSON.

Litestar's own rendering of an attrs class allows any extra key, and shows a `Decimal` as a
JSON number only; `adapters.serialization` refuses unknown keys and reads a decimal from a
number or its text, and money from `{"amount", "currency"}` or the short "1234.50 EUR". This
plugin says so, so a generated client (or a schema checker) sends what the API accepts. A
field computed from others (attrs `init=False`, like a monthly payment) is shown but never
required: the converter drops it on the way in and writes it on the way out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.plugins.attrs import AttrsSchemaPlugin
from litestar.typing import FieldDefinition

from adapters.serialization import DECIMAL_DIGITS_MAX, DECIMAL_TEXT
from domain.credit.money import Money

CURRENCY = "[A-Z]{3}"


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
        return schema
