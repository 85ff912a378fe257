"""`creditdesk model ...`: train, inspect and promote credit models, four eyes at a time."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from attrs import evolve
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from adapters.ml.training import TrainingConfig
from adapters.ml.tuning import SearchSpace
from application.credit.model_promotions import (
    ApprovePromotion,
    ListModels,
    RejectPromotion,
    RequestPromotion,
)
from application.credit.train_model import DEFAULT_SEED, TrainingStage, TrainModel
from application.errors import NotFound
from domain.credit.model_registry import ModelStage, ModelVersion
from entrypoints.cli.context import (
    CLI_OPERATOR,
    DEFAULT_TENANT,
    OperatorOption,
    RequiredOperator,
    TenantOption,
    opened,
    operator,
    reported_errors,
)
from entrypoints.composition import Deps

app = typer.Typer(help="Credit models: train, evaluate, list, promote (four eyes).")

VersionArgument = Annotated[str, typer.Argument(help="The model version, like xgb-0123abcd...")]


def _metrics_table(version: ModelVersion) -> Table:
    table = Table(title=f"Cross-validated metrics of {version.version}", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in version.metrics:
        table.add_row(name, f"{value:.0f}" if name == "rows" else f"{value:.4f}")
    return table


def _find(deps: Deps, tenant: str, version: str) -> ModelVersion:
    principal = operator(deps, tenant, CLI_OPERATOR)
    for model in ListModels(deps.uow())(principal):
        if model.version == version:
            return model
    raise NotFound("model version", version)


def _config(folds: int, trees: int | None, seed: int, *, quick: bool) -> TrainingConfig:
    search = SearchSpace() if trees is None else SearchSpace(tree_counts=(trees,))
    if not quick:
        return TrainingConfig(outer_folds=folds, search=search, seed=seed)
    search = evolve(search, max_depths=(3,), learning_rates=(0.1,), blend_weights=(1.0,))
    return TrainingConfig(
        outer_folds=folds, inner_folds=2, search=search, seed=seed, with_scorecard=False
    )


@app.command()
def train(
    *,
    source: Annotated[
        str | None, typer.Option(help="Train only on history from this source.")
    ] = None,
    folds: Annotated[int, typer.Option(min=2, help="Outer cross-validation folds.")] = 5,
    trees: Annotated[
        int | None, typer.Option(min=1, help="Use this many trees instead of tuning the count.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed (same data and seed: same model).")] = (
        DEFAULT_SEED
    ),
    quick: Annotated[
        bool,
        typer.Option(
            help="No tuning: depth 3, learning rate 0.1, no scorecard blend, 2 inner folds. "
            "For smoke tests; the figures are lower than a tuned model's."
        ),
    ] = False,
    tenant: TenantOption = DEFAULT_TENANT,
    acting: OperatorOption = CLI_OPERATOR,
) -> None:
    """Train on the tenant's loan history and register the model as a candidate."""
    console = Console()
    config = _config(folds, trees, seed, quick=quick)
    with opened(console) as deps, reported_errors(console):
        principal = operator(deps, tenant, acting)
        use_case = TrainModel(
            deps.uow(), deps.clock, deps.ids, deps.store, deps.trainer_for(config)
        )
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            task = bar.add_task("starting", total=len(TrainingStage))

            def progress(stage: TrainingStage, done: int, total: int) -> None:
                description = "done" if done == total else stage.value
                bar.update(task, description=description, completed=done, total=total)

            report = use_case(principal, source=source, seed=seed, progress=progress)
        how = "Registered candidate" if report.registered else "Already registered"
        console.print(
            f"{how} [bold cyan]{report.version.version}[/bold cyan] "
            f"({report.version.stage.value}), trained on {report.rows} loans, "
            f"{report.defaulted} defaulted"
        )
        console.print(_metrics_table(report.version))


@app.command()
def evaluate(
    version: VersionArgument,
    out: Annotated[
        Path | None, typer.Option(help="Write the report's files (HTML and PNGs) into this folder.")
    ] = None,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """Show a version's stored metrics and where its evaluation report is."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        model = _find(deps, tenant, version)
        console.print(_metrics_table(model))
        console.print(f"stage: {model.stage.value}   created {model.created_at:%Y-%m-%d %H:%M}")
        console.print(f"artifact: {model.artifact_key}")
        if model.report_key is None:
            console.print("report: none stored")
            return
        console.print(f"report: {model.report_key} (object store)")
        if out is not None:
            folder = model.report_key.rsplit("/", 1)[0] + "/"
            out.mkdir(parents=True, exist_ok=True)
            for key in deps.store.keys(folder):
                target = out / key.removeprefix(folder)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(deps.store.get(key))
            console.print(f"report written to {out / model.report_key.rsplit('/', 1)[1]}")


@app.command("list")
def list_(tenant: TenantOption = DEFAULT_TENANT) -> None:
    """Every model version of the tenant, newest first."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = operator(deps, tenant, CLI_OPERATOR)
        models = ListModels(deps.uow())(principal)
        table = Table(title=f"Models of {tenant}", title_justify="left")
        for column in ("version", "stage", "AUC", "created", "pending"):
            table.add_column(column, justify="right" if column == "AUC" else "left")
        for model in models:
            auc = model.metric("auc")
            request = model.pending_promotion
            pending = f"to {request.target.value}, by {request.requested_by}" if request else ""
            table.add_row(
                model.version,
                model.stage.value,
                "" if auc is None else f"{auc:.4f}",
                f"{model.created_at:%Y-%m-%d %H:%M}",
                pending,
            )
        console.print(table if models else "No models yet: run `creditdesk model train`.")


@app.command()
def promote(
    version: VersionArgument,
    to: Annotated[ModelStage, typer.Option("--to", help="The stage to move the version to.")],
    reason: Annotated[str, typer.Option(help="Why: kept in the audit trail.")],
    acting: RequiredOperator,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """Request a move of a version; another operator must approve it."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = operator(deps, tenant, acting)
        RequestPromotion(deps.uow(), deps.clock, deps.ids)(principal, version, to, reason)
        console.print(
            f"Requested {version} -> {to.value} by {acting}; "
            "waiting for another operator's `model approve-promotion`."
        )


@app.command("approve-promotion")
def approve_promotion(
    version: VersionArgument,
    acting: RequiredOperator,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """Approve the pending move of a version (not by the operator who requested it)."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = operator(deps, tenant, acting)
        moved = ApprovePromotion(deps.uow(), deps.clock, deps.ids)(principal, version)
        console.print(f"[green]{version} is now {moved.stage.value}[/green] (approved by {acting})")


@app.command("reject-promotion")
def reject_promotion(
    version: VersionArgument,
    comment: Annotated[str, typer.Option(help="Why not: kept in the audit trail.")],
    acting: RequiredOperator,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """Reject the pending move of a version; it stays where it is."""
    console = Console()
    with opened(console) as deps, reported_errors(console):
        principal = operator(deps, tenant, acting)
        kept = RejectPromotion(deps.uow(), deps.clock, deps.ids)(principal, version, comment)
        console.print(f"Rejected the request; {version} stays {kept.stage.value}")
