"""`creditdesk model info | predict | monitor | reports`: the champion at work, and watched.

These commands join the `model` group (`models.app`). `predict` scores forms from a JSON file
without storing anything; `monitor` compares the live applications of a window with what the
champion was trained on and stores the report (an alert goes out when a feature drifts).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from adapters.serialization import structure
from application.credit.model_serving import DescribeModel, Predict, Prediction
from application.credit.monitor_model import ListMonitoringReports, MonitorModel
from domain.credit.application import ApplicationForm
from domain.credit.model_monitoring import MonitoringReport
from domain.credit.monitoring import DriftLevel
from domain.credit.validation import problems
from domain.errors import Problem, ValidationFailed
from entrypoints.cli.context import (
    CLI_OPERATOR,
    DEFAULT_TENANT,
    TenantOption,
    opened,
    operator,
    reported_errors,
)
from entrypoints.cli.models import app

_LEVEL_STYLE = {DriftLevel.STABLE: "green", DriftLevel.WATCH: "yellow", DriftLevel.ACT: "red"}
_BAR = 30

VersionOption = Annotated[
    str | None, typer.Option("--version", help="A registered version instead of the champion.")
]


def _bar(share: float, widest: float) -> str:
    return "█" * max(1, round(_BAR * share / widest)) if widest > 0 and share > 0 else ""


@app.command()
def info(
    version: VersionOption = None,
    top: Annotated[int, typer.Option(min=1, help="How many features to show.")] = 15,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """The champion (or a version): its record, metrics and what drives it most."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = operator(deps, tenant, CLI_OPERATOR)
        described = DescribeModel(deps.uow(), deps.models)(principal, version)
        record = described.version
        console.print(
            f"[bold]{record.version}[/bold] ({record.stage.value}), trained "
            f"{record.created_at:%Y-%m-%d %H:%M} by {record.created_by}"
        )
        console.print("  " + ", ".join(f"{n} {v:.4f}" for n, v in record.metrics if n != "rows"))
        table = Table(title="Feature importance (share of total gain)", title_justify="left")
        table.add_column("feature")
        table.add_column("share", justify="right")
        table.add_column("")
        widest = described.importance[0][1] if described.importance else 0.0
        for name, share in described.importance[:top]:
            table.add_row(name, f"{share:.1%}", f"[cyan]{_bar(share, widest)}[/cyan]")
        console.print(table)


def _read_forms(path: Path, today: date) -> list[ApplicationForm]:
    """Every form of the file, or every problem of every form at once."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValidationFailed((Problem(str(path), f"cannot be read as JSON: {error}"),)) from None
    if not isinstance(raw, list):
        raise ValidationFailed((Problem(str(path), "must hold a JSON list of forms"),))
    forms: list[ApplicationForm] = []
    found: list[Problem] = []
    for index, item in enumerate(raw):
        try:
            form = structure(item, ApplicationForm)
        except ValidationFailed as invalid:
            found += [Problem(f"[{index}].{p.path}", p.message) for p in invalid.problems]
            continue
        found += [Problem(f"[{index}].{p.path}", p.message) for p in problems(form, today)]
        forms.append(form)
    if found:
        raise ValidationFailed(tuple(found))
    return forms


def _show(console: Console, form: ApplicationForm, prediction: Prediction) -> None:
    score = prediction.score
    console.print(
        f"[bold]{form.external_id}[/bold]: probability of default "
        f"{score.probability_of_default:.1%}, score {score.score:.0f}, "
        f"risk {prediction.risk_category.value} ({score.model_version})"
    )
    for factor in prediction.factors:
        console.print(f"  [red]+[/red] {factor.statement}")
    for factor in prediction.strengths:
        console.print(f"  [green]-[/green] {factor.statement}")
    if prediction.reasons:
        codes = ", ".join(f"{r.code} {r.statement}" for r in prediction.reasons[:2])
        console.print(f"  a decline would cite: {codes}")


@app.command()
def predict(
    path: Annotated[Path, typer.Argument(help="A JSON file with a list of application forms.")],
    version: VersionOption = None,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """Score forms with the champion and explain each; stores and decides nothing."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        forms = _read_forms(path, deps.clock.now().date())
        principal = operator(deps, tenant, CLI_OPERATOR)
        predictions = Predict(deps.uow(), deps.models).batch(principal, forms, version=version)
        for form, prediction in zip(forms, predictions, strict=True):
            _show(console, form, prediction)


def _report_tables(report: MonitoringReport) -> tuple[Table, Table]:
    drift = Table(title="Drift against training (PSI, KS)", title_justify="left")
    for column in ("feature", "PSI", "KS", "level"):
        drift.add_column(column, justify="left" if column in ("feature", "level") else "right")
    for item in sorted(report.drift, key=lambda d: (-d.psi, d.feature)):
        style = _LEVEL_STYLE[item.level]
        level = f"[{style}]{item.level.value}[/{style}]"
        drift.add_row(item.feature, f"{item.psi:.3f}", f"{item.ks:.3f}", level)
    quality = Table(title="Data quality", title_justify="left")
    for column in ("feature", "missing", "missing in training", "out of training range"):
        quality.add_column(column, justify="left" if column == "feature" else "right")
    for q in report.quality.features:
        quality.add_row(
            q.feature,
            f"{q.missing_rate:.1%}",
            f"{q.reference_missing_rate:.1%}",
            f"{q.out_of_range_rate:.1%}",
        )
    return drift, quality


@app.command()
def monitor(
    days: Annotated[int, typer.Option(min=1, help="The window: this many days back.")] = 30,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """Compare the last days' live applications with the champion's training data; store it."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = operator(deps, tenant, CLI_OPERATOR)
        monitor_model = MonitorModel(
            deps.uow(), deps.models, deps.clock, deps.ids, window=timedelta(days=days)
        )
        report = monitor_model(principal)
        drift, quality = _report_tables(report)
        console.print(drift)
        console.print(quality)
        console.print(
            f"{report.quality.rows} applications, {report.quality.duplicates} duplicates"
            + (
                f"; too few values to measure: {', '.join(report.unmeasured)}"
                if report.unmeasured
                else ""
            )
        )
        style = _LEVEL_STYLE[report.level]
        console.print(f"Overall: [{style}]{report.level.value}[/{style}] (report {report.id})")


@app.command()
def reports(
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many reports.")] = 10,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """The latest monitoring reports, newest first."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = operator(deps, tenant, CLI_OPERATOR)
        found = ListMonitoringReports(deps.uow())(principal, limit=limit)
        table = Table(title=f"Monitoring reports of {tenant}", title_justify="left")
        for column in ("created", "model", "rows", "level", "alerts"):
            table.add_column(column)
        for report in found:
            style = _LEVEL_STYLE[report.level]
            table.add_row(
                f"{report.created_at:%Y-%m-%d %H:%M}",
                report.model_version,
                str(report.quality.rows),
                f"[{style}]{report.level.value}[/{style}]",
                ", ".join(d.feature for d in report.alerts),
            )
        console.print(table if found else "No reports yet: run `creditdesk model monitor`.")
