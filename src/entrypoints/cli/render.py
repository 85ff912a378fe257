"""Rich renderings of domain results for the terminal; presentation only, no decisions."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from domain.credit.application import ApplicationForm
from domain.credit.assessment import Assessment
from domain.credit.routing import RoutingOutcome
from domain.credit.scorecard import Scorecard
from domain.errors import Problem
from domain.pii import mask_name

_OUTCOME_STYLE = {
    RoutingOutcome.AUTO_APPROVE: ("AUTO-APPROVE", "bold green"),
    RoutingOutcome.HUMAN_REVIEW: ("HUMAN REVIEW", "bold yellow"),
    RoutingOutcome.AUTO_DECLINE: ("AUTO-DECLINE", "bold red"),
}

_RATIO_FEATURES = (
    ("Debt-to-income", "debt_to_income"),
    ("Payment-to-income", "payment_to_income"),
    ("Loan-to-income", "loan_to_income"),
    ("Savings-to-loan", "savings_ratio"),
    ("Existing debt-to-loan", "existing_debt_ratio"),
)


def _features_table(form: ApplicationForm, result: Assessment) -> Table:
    f = result.features
    currency = form.loan.amount.currency
    table = Table(title="Derived features", title_justify="left", show_header=False, box=None)
    table.add_column("feature", style="dim")
    table.add_column("value", justify="right")
    table.add_row("Monthly payment", f"{f.monthly_payment:,.2f} {currency}")
    for label, name in _RATIO_FEATURES:
        table.add_row(label, f"{getattr(f, name):.1%}")
    table.add_row("Employment stability", f"{f.employment_stability:.1f} weighted years")
    table.add_row("Disposable income", f"{f.disposable_income:,.2f} {currency} a month")
    return table


def _score_block(result: Assessment, card: Scorecard) -> Group:
    s = result.scorecard
    head = Text.assemble(
        ("Scorecard ", "bold"),
        (f"{s.score:.0f}", "bold cyan"),
        f" on {card.scale.min_score:.0f}-{card.scale.max_score:.0f}",
        f"   probability of default {s.probability_of_default:.1%}",
        f"   risk {result.risk_category}",
        (f"   ({s.scorecard_version})", "dim"),
    )
    lines = [Text(f"  {line}") for line in s.lines] or [Text("  no rule moved the score")]
    return Group(head, *lines)


def _routing_block(result: Assessment) -> Group:
    label, style = _OUTCOME_STYLE[result.routing.outcome]
    head = Text.assemble(
        ("Route ", "bold"),
        (label, style),
        f"   policy v{result.routing.policy_version}   reasons: ",
        ", ".join(result.routing.reasons),
    )
    parts: list[Text] = [head]
    if result.routing.outcome is not RoutingOutcome.AUTO_APPROVE and result.adverse_reasons:
        declined = result.routing.outcome is RoutingOutcome.AUTO_DECLINE
        heading = "Principal reasons (adverse action):" if declined else "What weighs against:"
        parts.append(Text(heading, style="bold"))
        parts.extend(Text(f"  {r.rank}. [{r.code}] {r.statement}") for r in result.adverse_reasons)
    return Group(*parts)


def render_assessment(
    console: Console, form: ApplicationForm, result: Assessment, card: Scorecard
) -> None:
    personal = form.applicant.personal
    title = f"{form.external_id}  {mask_name(personal.first_name)} {mask_name(personal.last_name)}"
    loan = form.loan
    asks = Text(
        f"Asks {loan.amount} over {loan.term_months} months at {loan.annual_rate_percent}% "
        f"for {loan.purpose.replace('_', ' ')}"
    )
    body = Group(
        asks,
        Text(),
        _features_table(form, result),
        Text(),
        _score_block(result, card),
        Text(),
        _routing_block(result),
    )
    console.print(Panel(body, title=title, title_align="left"))


def render_problems(
    console: Console, index: int, problems: tuple[Problem, ...], heading: str | None = None
) -> None:
    """Every problem of one input, in a red panel; `heading` names the input (default: the
    `index`-th application)."""
    lines = [Text(f"  {p.path}: {p.message}") for p in problems]
    title = heading or f"Application {index} is not acceptable:"
    header = Text(title, style="bold red")
    console.print(Panel(Group(header, *lines), border_style="red"))
