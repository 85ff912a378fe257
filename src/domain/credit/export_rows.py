"""The rows of an export (`domain.credit.exports`): its columns, and each cell as written.

An export is one row per application (oldest submission first), with its latest model score and
routing and, for people who may read decisions, its latest decision. The columns, in order:

- `application_id`, `external_id`, `status`, `submitted_at` (ISO 8601, UTC), `amount`,
  `currency`, `term_months`, `purpose`: the application as submitted.
- `first_name`, `last_name`, `date_of_birth`, `email`, `phone`, `national_id`: personal data.
  A file leaves the system and is kept and forwarded beyond its control, so these are masked
  (`domain.pii`, as an audit trail masks them) unless the export was asked for with personal
  data by someone who may read applications one by one.
- `score`, `probability_of_default`, `routing_outcome`, `model_version`, `scored_at`: the
  latest scoring result; empty for an application nobody has scored.
- `decision_type`, `decision_status`, `decided_by`, `decided_at`, `approved_amount`: the
  latest decision; these columns are present only when the requester holds decision:view.

A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
return) as a formula, and an applicant writes their own name and email. Every text cell that
starts so is prefixed with `'`, as OWASP's advice on CSV injection says; numbers and times are
not text and pass as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TypeAlias

from attrs import frozen

from domain.credit.application import Application
from domain.credit.decisions import Decision
from domain.credit.exports import Export
from domain.credit.scoring import ScoringResult
from domain.pii import masker_for

#: What makes a spreadsheet program read a text cell as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell: TypeAlias = str | int | float | Decimal | datetime | None
"""One value of an export row: text, a number, a moment, or nothing."""


@frozen
class ExportScore:
    """The part of the latest scoring result an export shows."""

    score: float
    probability_of_default: float
    routing_outcome: str
    model_version: str
    scored_at: datetime

    @classmethod
    def of(cls, result: ScoringResult) -> ExportScore:
        return cls(
            score=result.model.score,
            probability_of_default=result.model.probability_of_default,
            routing_outcome=result.routing.outcome.value,
            model_version=result.model.model_version,
            scored_at=result.scored_at,
        )


@frozen
class ExportDecision:
    """The part of the latest decision an export shows."""

    decision_type: str
    status: str
    decided_by: str
    decided_at: datetime
    approved_amount: Decimal | None

    @classmethod
    def of(cls, decision: Decision) -> ExportDecision:
        return cls(
            decision_type=decision.decision_type.value,
            status=decision.status.value,
            decided_by=decision.decided_by,
            decided_at=decision.decided_at,
            approved_amount=None if decision.terms is None else decision.terms.amount.amount,
        )


@frozen
class ExportRecord:
    """One application with what an export row shows beside it."""

    application: Application
    score: ExportScore | None = None
    decision: ExportDecision | None = None


def _iso(value: date) -> str:
    return value.isoformat()


def _application_cells(a: Application) -> dict[str, Cell]:
    form = a.form
    personal = form.applicant.personal
    return {
        "application_id": a.id,
        "external_id": form.external_id,
        "status": a.status.value,
        "submitted_at": a.submitted_at,
        "amount": form.loan.amount.amount,
        "currency": form.loan.amount.currency,
        "term_months": form.loan.term_months,
        "purpose": form.loan.purpose.value,
        "first_name": personal.first_name,
        "last_name": personal.last_name,
        "date_of_birth": _iso(personal.date_of_birth),
        "email": personal.email,
        "phone": personal.phone,
        "national_id": personal.national_id,
    }


def _score_cells(score: ExportScore | None) -> dict[str, Cell]:
    if score is None:
        return dict.fromkeys(SCORE_COLUMNS)
    return {
        "score": score.score,
        "probability_of_default": score.probability_of_default,
        "routing_outcome": score.routing_outcome,
        "model_version": score.model_version,
        "scored_at": score.scored_at,
    }


def _decision_cells(decision: ExportDecision | None) -> dict[str, Cell]:
    if decision is None:
        return dict.fromkeys(DECISION_COLUMNS)
    return {
        "decision_type": decision.decision_type,
        "decision_status": decision.status,
        "decided_by": decision.decided_by,
        "decided_at": decision.decided_at,
        "approved_amount": decision.approved_amount,
    }


APPLICATION_COLUMNS = ("application_id", "external_id", "status", "submitted_at", "amount",
                       "currency", "term_months", "purpose")  # fmt: skip
PERSONAL_COLUMNS = ("first_name", "last_name", "date_of_birth", "email", "phone", "national_id")
SCORE_COLUMNS = ("score", "probability_of_default", "routing_outcome", "model_version",
                 "scored_at")  # fmt: skip
DECISION_COLUMNS = ("decision_type", "decision_status", "decided_by", "decided_at",
                    "approved_amount")  # fmt: skip


def columns(export: Export) -> tuple[str, ...]:
    """The header of the export's file, in order."""
    found = APPLICATION_COLUMNS + PERSONAL_COLUMNS + SCORE_COLUMNS
    return found + DECISION_COLUMNS if export.decisions else found


def _maskers() -> Mapping[str, Callable[[str], str]]:
    found = {name: masker_for(name) for name in PERSONAL_COLUMNS}
    return {name: masker for name, masker in found.items() if masker is not None}


_PERSONAL_MASKERS = _maskers()


def guarded(text: str) -> str:
    """`text`, prefixed with `'` when a spreadsheet program would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def row(export: Export, record: ExportRecord) -> tuple[Cell, ...]:
    """The export's row for one application, in the order of `columns(export)`: personal
    data masked unless the export carries it, and every text cell guarded."""
    cells = {
        **_application_cells(record.application),
        **_score_cells(record.score),
        **_decision_cells(record.decision),
    }
    if not export.personal_data:
        for name, masker in _PERSONAL_MASKERS.items():
            value = cells[name]
            cells[name] = None if value is None else masker(str(value))
    return tuple(
        guarded(value) if isinstance(value, str) else value
        for value in (cells[name] for name in columns(export))
    )


def csv_text(cell: Cell) -> str:
    """A cell as CSV text: moments in ISO 8601 (UTC), numbers as written, nothing as ""."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.astimezone(UTC).isoformat()
    return str(cell)


def sheet_value(cell: Cell) -> str | int | float | Decimal | datetime | None:
    """A cell as a spreadsheet stores it: a spreadsheet's dates have no time zone, so a
    moment is given in UTC without one (the header says which columns are UTC moments)."""
    if isinstance(cell, datetime):
        return cell.astimezone(UTC).replace(tzinfo=None)
    return cell
