"""What each request body's fields must be, in the words of JSON Schema, for `schema_plugin`.

The server refuses what the domain's validation refuses (`domain.credit.validation`,
`domain.tenancy`, `domain.webhooks`, `domain.credit.exports`, `domain.credit.routing`); a
schema that showed only the types would send a generated client (or a test suite made from the
document) values the server answers 422 for. So each constraint is written here once, beside
the others, as `Schema` keywords per class and field, read from the domain's own limits where it
has them; the domain keeps no word of OpenAPI. Rules that span fields (an applicant's age on
the day of submission, every amount in the loan's currency, an export period's end after its
start, the decline threshold below the approval one) are beyond JSON Schema: the class carries
a whole valid `example` instead, and the field a description.

Numeric bounds of a decimal or money field bound its number form (`schema_plugin`'s first
branch); its text form says them in its description.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import frozen
from litestar.openapi.spec import OpenAPIFormat, OpenAPIType, Schema

from application.credit.notify import NOTIFYING_TOPICS
from domain.credit.application import (
    Address,
    ApplicationForm,
    Employment,
    Financials,
    LoanRequest,
    PersonalInfo,
)
from domain.credit.exports import ExportFilter
from domain.credit.validation import MAX_ATTRIBUTES, FormLimits
from domain.webhooks import MAX_URL_LENGTH, MIN_SECRET_LENGTH
from entrypoints.http.admin_routes import NewUser
from entrypoints.http.export_routes import ExportBody
from entrypoints.http.testgen_bodies import GateBody
from entrypoints.http.threshold_routes import PolicyDraft, ThresholdProposal
from entrypoints.http.webhooks import WebhookRequest

#: Schema keywords (`litestar.openapi.spec.Schema` attribute names) for one field.
Rule = Mapping[str, Any]

#: Holds a character that is not white space: what "must not be empty" means to the domain.
NOT_BLANK: Rule = {"min_length": 1, "pattern": r"\S"}
#: The domain's email and phone shapes (`domain.credit.validation`, `domain.tenancy`). The
#: email is its pattern, not `format: email`: the domain takes some addresses RFC 5322 does not
#: (`a..b@example.com`), and a document claiming the format would promise they are refused.
EMAIL: Rule = {
    "pattern": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    "description": "An email address such as name@example.com",
}
PHONE: Rule = {"pattern": r"^\+?[0-9][0-9 ()\-]{5,24}$"}
NOT_NEGATIVE: Rule = {"minimum": 0}
SAME_CURRENCY = "In the currency of the loan amount; not negative, at most 10^12."

_LIMITS = FormLimits()


def _text(limit: int) -> Rule:
    return {**NOT_BLANK, "max_length": limit}


@frozen
class Documented:
    """The rules of one class's fields, and a whole valid example of it (when cross-field
    rules make a valid value more than the sum of valid fields)."""

    fields: Mapping[str, Rule]
    example: Mapping[str, Any] | None = None


def _money(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


#: A form intake accepts: its applicant is of age until 2088, every amount in euros.
FORM_EXAMPLE: Mapping[str, Any] = {
    "external_id": "LND-2026-000123",
    "applicant": {
        "personal": {
            "first_name": "Ana",
            "last_name": "Marković",
            "date_of_birth": "1988-04-17",
            "email": "ana.markovic@example.com",
            "phone": "+381641234567",
            "national_id": "1704988715123",
        },
        "address": {
            "street": "Bulevar kralja Aleksandra 73",
            "city": "Beograd",
            "postal_code": "11000",
            "country": "RS",
        },
        "employment": {
            "employment_type": "employed",
            "contract_type": "permanent",
            "years_employed": "6.5",
            "employer_name": "Nordlicht Software d.o.o.",
        },
    },
    "financials": {
        "net_monthly_income": _money("2800.00"),
        "other_monthly_income": _money("0"),
        "monthly_expenses": _money("1100.00"),
        "existing_loan_payments": _money("150.00"),
        "savings": _money("9000.00"),
        "other_assets": _money("0"),
        "total_liabilities": _money("3000.00"),
    },
    "loan": {
        "amount": _money("15000.00"),
        "term_months": 48,
        "purpose": "car",
        "annual_rate_percent": "7.9",
    },
    "attributes": {},
}

_FINANCIALS = (
    "net_monthly_income",
    "other_monthly_income",
    "monthly_expenses",
    "existing_loan_payments",
    "savings",
    "other_assets",
    "total_liabilities",
)

RULES: Mapping[type, Documented] = {
    ApplicationForm: Documented(
        {
            "external_id": {**_text(64), "description": "The lender's own reference"},
            "attributes": {
                "max_properties": MAX_ATTRIBUTES,
                "property_names": Schema(
                    type=OpenAPIType.STRING, pattern=r"^[a-z][a-z0-9_]{0,49}$"
                ),
                "additional_properties": Schema(type=OpenAPIType.STRING, max_length=200),
            },
        },
        FORM_EXAMPLE,
    ),
    PersonalInfo: Documented(
        {
            "first_name": _text(100),
            "last_name": _text(100),
            "date_of_birth": {
                "description": (
                    f"The applicant is {_LIMITS.min_age_years} to {_LIMITS.max_age_years} "
                    "years old on the day the form is received"
                ),
                "example": "1988-04-17",
            },
            "email": EMAIL,
            "phone": {
                **PHONE,
                "description": "6 to 25 digits, spaces, dashes or brackets; + allowed first",
            },
            "national_id": NOT_BLANK,
        },
        FORM_EXAMPLE["applicant"]["personal"],
    ),
    Address: Documented(
        {
            "street": NOT_BLANK,
            "city": NOT_BLANK,
            "postal_code": NOT_BLANK,
            "country": {"pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2"},
        }
    ),
    Employment: Documented(
        {
            "years_employed": {**NOT_NEGATIVE, "maximum": float(_LIMITS.max_years_employed)},
            "contract_type": {
                "description": "Must be none unless the applicant is employed or self-employed"
            },
        },
        FORM_EXAMPLE["applicant"]["employment"],
    ),
    Financials: Documented(
        {
            name: {
                **NOT_NEGATIVE,
                "maximum": float(_LIMITS.max_financial_amount),
                "description": SAME_CURRENCY,
            }
            for name in _FINANCIALS
        },
        FORM_EXAMPLE["financials"],
    ),
    LoanRequest: Documented(
        {
            "amount": {"exclusive_minimum": 0, "maximum": float(_LIMITS.max_amount)},
            "term_months": {
                "minimum": _LIMITS.min_term_months,
                "maximum": _LIMITS.max_term_months,
            },
            "annual_rate_percent": {
                **NOT_NEGATIVE,
                "maximum": float(_LIMITS.max_annual_rate_percent),
            },
        }
    ),
    NewUser: Documented(
        {
            "email": EMAIL,
            "display_name": NOT_BLANK,
            "password": {"min_length": 12, "write_only": True},
        },
        {
            "email": "mira.petrovic@example.com",
            "display_name": "Mira Petrović",
            "role": "analyst",
            "password": "correct horse battery staple",
        },
    ),
    WebhookRequest: Documented(
        {
            "url": {
                "format": OpenAPIFormat.URI,
                "pattern": "^https?://",
                "max_length": MAX_URL_LENGTH,
                "description": (
                    "An http:// or https:// URL with a host, no user or password, no IPv6 literal"
                ),
            },
            "secret": {
                "min_length": MIN_SECRET_LENGTH,
                "pattern": r"^\S[\s\S]*\S$",
                "write_only": True,
                "description": "Signs every call; no white space at either end",
            },
            "events": {
                "min_items": 1,
                "items": Schema(type=OpenAPIType.STRING, enum=sorted(NOTIFYING_TOPICS)),
            },
        },
        {
            "url": "https://lender.example.com/hooks/creditdesk",
            "secret": "k3v9-Qm2x-Lr8t-Wz4p-Hn6c-Bd1s",
            "events": ["application.decided"],
        },
    ),
    GateBody: Documented(
        {
            "base_url": {
                "format": OpenAPIFormat.URI,
                "pattern": "^https?://[^/@\\s]+",
                "description": (
                    "An http:// or https:// URL without user or password, under a prefix the "
                    "CREDITDESK_TESTGEN_GATE_URLS setting allows"
                ),
                "example": "http://127.0.0.1:8000",
            },
        },
    ),
    ExportFilter: Documented(
        {
            "created_from": {
                "description": "With a time zone; the period's start (inclusive)",
                "example": "2026-01-01T00:00:00Z",
            },
            "created_to": {
                "description": "With a time zone; the period's end (exclusive), after its start",
                "example": "2026-07-01T00:00:00Z",
            },
        },
        {"created_from": "2026-01-01T00:00:00Z", "created_to": "2026-07-01T00:00:00Z"},
    ),
    ExportBody: Documented(
        {},
        {
            "format": "csv",
            "filter": {
                "created_from": "2026-01-01T00:00:00Z",
                "created_to": "2026-07-01T00:00:00Z",
            },
            "personal_data": False,
        },
    ),
    PolicyDraft: Documented(
        {
            "auto_decline_max": {
                "description": "A score; must stay below auto_approve_min",
                "example": 560.0,
            },
            "auto_approve_min": {
                "description": "A score; must stay above auto_decline_max",
                "example": 680.0,
            },
            "currency": {"example": "EUR"},
            "max_loan_amount_auto": {"exclusive_minimum": 0, "example": 50_000},
            "max_term_months_auto": {"minimum": 1},
            "version": {"description": "Numbered by the server; a given one is ignored"},
        },
        {
            "auto_decline_max": 560.0,
            "auto_approve_min": 680.0,
            "currency": "EUR",
            "max_loan_amount_auto": "50000",
            "max_term_months_auto": 84,
            "review_purposes": ["business"],
        },
    ),
    ThresholdProposal: Documented(
        {},
        {
            "policy": {"auto_decline_max": 560.0, "auto_approve_min": 680.0, "currency": "EUR"},
            "note": "Fewer borderline cases for review",
        },
    ),
}
