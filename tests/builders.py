"""Builders of realistic domain values for tests, every field defaulted and overridable.

A test should spell out only what it is about (`a_decision(status=...)`) and get a valid,
plausible value for everything else; a change to a domain class then touches this file instead
of every test. The defaults describe one believable case: Ana, employed in Belgrade, borrowing
EUR 12,000 over four years for a car, on 22 November 2026.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from attrs import evolve

from application.credit.ports import DeadJob, IdempotencyRecord, OutboxMessage
from application.ports import Job, TokenClaims
from domain.audit import AuditEvent, record_event
from domain.credit.application import (
    Address,
    Applicant,
    Application,
    ApplicationForm,
    ContractType,
    Employment,
    EmploymentType,
    Financials,
    LoanPurpose,
    LoanRequest,
    PersonalInfo,
    form_fingerprint,
)
from domain.credit.decisions import Decision, DecisionStatus, DecisionType, Terms
from domain.credit.defaults import DEFAULT_ROUTING_POLICY, DEFAULT_SCORECARD
from domain.credit.features import Features, derive_features
from domain.credit.model_monitoring import DataQuality, FeatureQuality, MonitoringReport
from domain.credit.model_registry import ModelStage, ModelVersion, PromotionRequest
from domain.credit.money import Money
from domain.credit.monitoring import DriftLevel, DriftThresholds, FeatureDrift
from domain.credit.overrides import Override, OverrideDirection
from domain.credit.policy_versions import PolicyVersion, VersionStatus
from domain.credit.queue import QueueEntry, QueuePolicy, QueueStatus, sla_deadline
from domain.credit.routing import RoutingOutcome, RoutingPolicy, route
from domain.credit.scoring import ModelScore, RiskBands, ScoringResult, ShadowScore
from domain.credit.status import ApplicationStatus
from domain.identity import Principal, Role
from domain.pii import JsonValue
from domain.tenancy import Tenant, User

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
TENANT = "tenant-a"
OTHER_TENANT = "tenant-b"


def eur(amount: str | int) -> Money:
    return Money.of(amount, "EUR")


def an_application_form(
    *,
    external_id: str = "LND-2026-000123",
    first_name: str = "Ana",
    last_name: str = "Marković",
    amount: Money | None = None,
    term_months: int = 48,
    purpose: LoanPurpose = LoanPurpose.CAR,
    annual_rate_percent: Decimal = Decimal("7.9"),
    net_monthly_income: Money | None = None,
    monthly_expenses: Money | None = None,
    existing_loan_payments: Money | None = None,
    savings: Money | None = None,
    total_liabilities: Money | None = None,
    date_of_birth: date = date(1988, 4, 17),
    employment_type: EmploymentType = EmploymentType.EMPLOYED,
    contract_type: ContractType = ContractType.PERMANENT,
    years_employed: Decimal = Decimal("6.5"),
) -> ApplicationForm:
    """A form that passes `domain.credit.validation.problems(form, today=TODAY)`."""
    return ApplicationForm(
        external_id=external_id,
        applicant=Applicant(
            personal=PersonalInfo(
                first_name=first_name,
                last_name=last_name,
                date_of_birth=date_of_birth,
                email="ana.markovic@example.com",
                phone="+381641234567",
                national_id="1704988715123",
            ),
            address=Address(
                street="Bulevar kralja Aleksandra 73",
                city="Beograd",
                postal_code="11000",
                country="RS",
            ),
            employment=Employment(
                employment_type=employment_type,
                contract_type=contract_type,
                years_employed=years_employed,
                employer_name="Nordlicht Software d.o.o.",
            ),
        ),
        financials=Financials(
            net_monthly_income=net_monthly_income or eur(2_800),
            other_monthly_income=eur(0),
            monthly_expenses=monthly_expenses or eur(1_100),
            existing_loan_payments=existing_loan_payments or eur(150),
            savings=savings or eur(6_000),
            other_assets=eur(0),
            total_liabilities=total_liabilities or eur(3_000),
        ),
        loan=LoanRequest(
            amount=amount or eur(12_000),
            term_months=term_months,
            purpose=purpose,
            annual_rate_percent=annual_rate_percent,
        ),
    )


def an_application(
    *,
    id: str = "app-1",
    tenant_id: str = TENANT,
    external_id: str | None = None,
    form: ApplicationForm | None = None,
    status: ApplicationStatus = ApplicationStatus.PENDING,
    submitted_at: datetime = NOW,
    updated_at: datetime | None = None,
) -> Application:
    """A stored application. The external id is `external_id` if given, else the form's if a
    form is given, else one derived from `id`, so applications built apart never collide."""
    chosen_form = form or an_application_form(external_id=f"LND-{id}")
    if external_id is not None:
        chosen_form = evolve(chosen_form, external_id=external_id)
    return Application(
        id=id,
        tenant_id=tenant_id,
        form=chosen_form,
        status=status,
        submitted_at=submitted_at,
        updated_at=updated_at or submitted_at,
    )


def a_principal(
    role: Role = Role.ANALYST, *, user_id: str | None = None, tenant_id: str = TENANT
) -> Principal:
    """A person acting in `tenant_id`; the user id defaults to one naming the role."""
    return Principal(user_id=user_id or f"user-{role.value}", tenant_id=tenant_id, role=role)


def a_routing_policy(
    *,
    version: int = 1,
    auto_decline_max: float = DEFAULT_ROUTING_POLICY.auto_decline_max,
    auto_approve_min: float = DEFAULT_ROUTING_POLICY.auto_approve_min,
) -> RoutingPolicy:
    """The default policy under another version number, thresholds optionally moved."""
    return evolve(
        DEFAULT_ROUTING_POLICY,
        version=version,
        auto_decline_max=auto_decline_max,
        auto_approve_min=auto_approve_min,
    )


def a_model_score(
    *, model_version: str = "xgb-2026.11", probability_of_default: float = 0.08
) -> ModelScore:
    """A model output whose contributions and base value add up to its log-odds."""
    log_odds = math.log(probability_of_default / (1 - probability_of_default))
    contributions = (("debt_to_income", 0.4), ("savings_ratio", -0.3))
    base = log_odds - sum(value for _name, value in contributions)
    return ModelScore(
        model_version=model_version,
        probability_of_default=probability_of_default,
        score=DEFAULT_SCORECARD.scale.score_from_pd(probability_of_default),
        contributions=contributions,
        base_value=base,
    )


def a_scoring_result(
    *,
    tenant_id: str = TENANT,
    application_id: str = "app-1",
    scored_at: datetime = NOW,
    model: ModelScore | None = None,
    form: ApplicationForm | None = None,
    features: Features | None = None,
    policy: RoutingPolicy = DEFAULT_ROUTING_POLICY,
) -> ScoringResult:
    """The result of scoring `form` with the default scorecard and routing it by `policy`.

    The features are the form's unless given (a similar-case search wants them placed exactly).
    """
    chosen_form = form or an_application_form()
    chosen_model = model or a_model_score()
    chosen_features = features or derive_features(chosen_form)
    return ScoringResult(
        tenant_id=tenant_id,
        application_id=application_id,
        scored_at=scored_at,
        features=chosen_features,
        model=chosen_model,
        scorecard=DEFAULT_SCORECARD.score(chosen_features.as_mapping()),
        risk_category=RiskBands().categorize(chosen_model.probability_of_default),
        routing=route(chosen_model.score, chosen_form.loan, policy),
    )


def a_queue_entry(
    *,
    id: str = "entry-1",
    tenant_id: str = TENANT,
    application_id: str = "app-1",
    status: QueueStatus = QueueStatus.PENDING,
    analyst_id: str | None = None,
    priority: int = 40,
    score_at_routing: float = 620.0,
    amount: Decimal = Decimal(12_000),
    entered_at: datetime = NOW,
    deadline: datetime | None = None,
) -> QueueEntry:
    """A queue entry; an assigned or in-progress one gets an analyst unless one is given.

    The SLA deadline follows from `entered_at` by the default policy unless `deadline` is given.
    """
    held = status in (QueueStatus.ASSIGNED, QueueStatus.IN_PROGRESS)
    analyst = analyst_id or ("user-analyst" if held else None)
    return QueueEntry(
        id=id,
        tenant_id=tenant_id,
        application_id=application_id,
        status=status,
        priority=priority,
        score_at_routing=score_at_routing,
        amount=amount,
        routing_reasons=("borderline_score",),
        entered_at=entered_at,
        sla_deadline=deadline or sla_deadline(entered_at, QueuePolicy()),
        analyst_id=analyst,
        assigned_at=entered_at + timedelta(minutes=5) if analyst else None,
        started_at=entered_at + timedelta(minutes=9) if status is QueueStatus.IN_PROGRESS else None,
        completed_at=entered_at + timedelta(hours=1) if status is QueueStatus.COMPLETED else None,
    )


def an_override(*, requested_by: str = "user-analyst", requested_at: datetime = NOW) -> Override:
    """An override awaiting a second person, with a justification long enough to pass."""
    return Override(
        direction=OverrideDirection.MODEL_DECLINE_ANALYST_APPROVE,
        justification="Income is seasonal; twelve months of statements show a stable average.",
        requested_by=requested_by,
        requested_at=requested_at,
    )


def a_decision(
    *,
    id: str = "decision-1",
    tenant_id: str = TENANT,
    application_id: str = "app-1",
    decision_type: DecisionType = DecisionType.ANALYST_APPROVE,
    status: DecisionStatus = DecisionStatus.FINAL,
    decided_by: str = "user-analyst",
    decided_at: datetime = NOW,
) -> Decision:
    """An analyst's decision; one awaiting override approval carries an override."""
    approves = decision_type.approves
    awaiting = status is DecisionStatus.AWAITING_OVERRIDE_APPROVAL
    return Decision(
        id=id,
        tenant_id=tenant_id,
        application_id=application_id,
        decision_type=decision_type,
        decided_by=decided_by,
        decided_at=decided_at,
        status=status,
        model_outcome=RoutingOutcome.AUTO_DECLINE if awaiting else RoutingOutcome.HUMAN_REVIEW,
        terms=Terms(eur(12_000), 48, Decimal("7.9")) if approves else None,
        reasoning="" if approves else "Debt service would exceed half of the net income.",
        override=an_override(requested_by=decided_by, requested_at=decided_at)
        if awaiting
        else None,
    )


def an_audit_event(
    previous: AuditEvent | None = None,
    *,
    tenant_id: str = TENANT,
    occurred_at: datetime = NOW,
    actor: str = "user-analyst",
    action: str = "application.submitted",
    entity_type: str = "application",
    entity_id: str = "app-1",
    new: Mapping[str, JsonValue] | None = None,
) -> AuditEvent:
    """The event that follows `previous` in its tenant's chain (the first when None)."""
    return record_event(
        previous,
        tenant_id=tenant_id,
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        old=None,
        new=new if new is not None else {"status": "pending"},
    )


def an_outbox_message(
    *,
    id: str = "msg-1",
    tenant_id: str = TENANT,
    topic: str = "application.score",
    created_at: datetime = NOW,
    application_id: str = "app-1",
) -> OutboxMessage:
    return OutboxMessage(
        id=id,
        tenant_id=tenant_id,
        topic=topic,
        payload={"application_id": application_id, "attempt": 1},
        created_at=created_at,
    )


def a_dead_job(
    id: str = "msg-1",
    *,
    tenant_id: str = TENANT,
    job_name: str = "score_application",
    failed_at: datetime = NOW,
    retried_at: datetime | None = None,
    attempts: int = 5,
    application_id: str = "app-1",
) -> DeadJob:
    """The scoring job of outbox message `id`, dead after its last attempt timed out."""
    return DeadJob(
        id=id,
        tenant_id=tenant_id,
        job_name=job_name,
        payload={"application_id": application_id, "attempt": attempts},
        error="TimeoutError: the model server did not answer within 30 s",
        attempts=attempts,
        failed_at=failed_at,
        retried_at=retried_at,
    )


def a_job(*, name: str = "score_application", idempotency_key: str = "msg-1") -> Job:
    return Job(name=name, payload={"application_id": "app-1"}, idempotency_key=idempotency_key)


def token_claims(
    *,
    subject: str = "user-analyst",
    tenant_id: str = TENANT,
    permissions: frozenset[str] = frozenset({"application:view", "decision:create"}),
    issued_at: datetime = NOW,
    lifetime: timedelta = timedelta(minutes=30),
    token_id: str | None = None,
) -> TokenClaims:
    """Claims of a half-hour session token issued at `issued_at`."""
    return TokenClaims(
        subject=subject,
        tenant_id=tenant_id,
        permissions=permissions,
        issued_at=issued_at,
        expires_at=issued_at + lifetime,
        token_id=token_id or "jti-1",
    )


def a_policy_version(
    *,
    tenant_id: str = TENANT,
    version: int = 1,
    status: VersionStatus = VersionStatus.PROPOSED,
    policy: RoutingPolicy | None = None,
    proposed_by: str = "user-admin",
    proposed_at: datetime = NOW,
    note: str = "",
) -> PolicyVersion:
    """A routing-policy version; a reviewed one was reviewed an hour later by a second admin."""
    reviewed = status is not VersionStatus.PROPOSED
    return PolicyVersion(
        tenant_id=tenant_id,
        policy=policy or a_routing_policy(version=version),
        proposed_by=proposed_by,
        proposed_at=proposed_at,
        status=status,
        reviewed_by="user-admin-2" if reviewed else None,
        reviewed_at=proposed_at + timedelta(hours=1) if reviewed else None,
        note=note,
    )


def a_tenant(
    *,
    id: str = TENANT,
    slug: str = "acme-credit",
    name: str = "Acme Credit",
    created_at: datetime = NOW,
    active: bool = True,
) -> Tenant:
    return Tenant(id=id, slug=slug, name=name, created_at=created_at, active=active)


def a_user(
    *,
    id: str = "user-1",
    tenant_id: str = TENANT,
    email: str = "ana@example.com",
    display_name: str = "Ana Marković",
    role: Role = Role.ANALYST,
    created_at: datetime = NOW,
    active: bool = True,
) -> User:
    """A user whose password hash is a plausible Argon2 string (never a plain password)."""
    return User(
        id=id,
        tenant_id=tenant_id,
        email=email,
        display_name=display_name,
        role=role,
        password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
        created_at=created_at,
        active=active,
    )


def an_idempotency_record(
    *,
    tenant_id: str = TENANT,
    key: str = "idem-1",
    form: ApplicationForm | None = None,
    application_id: str = "app-1",
    created_at: datetime = NOW,
) -> IdempotencyRecord:
    """The first use of `key`, which submitted `form` (the default form unless given)."""
    return IdempotencyRecord(
        tenant_id=tenant_id,
        key=key,
        fingerprint=form_fingerprint(form or an_application_form()),
        application_id=application_id,
        created_at=created_at,
    )


def a_model_version(
    version: str = "xgb-1",
    *,
    tenant_id: str = TENANT,
    stage: ModelStage = ModelStage.CANDIDATE,
    created_at: datetime = NOW,
    pending: ModelStage | None = None,
    approved_by: str | None = None,
) -> ModelVersion:
    """A trained model of the tenant; `pending` opens a request to move it to that stage."""
    request = None
    if pending is not None:
        request = PromotionRequest(pending, "user-adm", created_at, "Beats the champion on AUC.")
    return ModelVersion(
        tenant_id=tenant_id,
        version=version,
        stage=stage,
        created_at=created_at,
        created_by="user-adm",
        training_data_hash="ab" * 32,
        metrics=(("auc", 0.81), ("brier", 0.16)),
        artifact_key=f"{tenant_id}/models/{version}.bin",
        report_key=f"{tenant_id}/models/reports/{version}/report.html",
        pending_promotion=request,
        approved_by=approved_by,
        approved_at=None if approved_by is None else created_at,
    )


def a_shadow_score(
    *,
    tenant_id: str = TENANT,
    application_id: str = "app-1",
    model_version: str = "xgb-challenger",
    champion_version: str = "xgb-2026.11",
    scored_at: datetime = NOW,
    model: ModelScore | None = None,
) -> ShadowScore:
    """A challenger's score of the application, beside the champion that decided it."""
    return ShadowScore(
        tenant_id=tenant_id,
        application_id=application_id,
        scored_at=scored_at,
        champion_version=champion_version,
        model=model or a_model_score(model_version=model_version, probability_of_default=0.11),
    )


def a_monitoring_report(
    id: str = "report-1",
    *,
    tenant_id: str = TENANT,
    model_version: str = "xgb-2026.11",
    created_at: datetime = NOW,
    window_days: int = 30,
) -> MonitoringReport:
    """A run over the last `window_days` before `created_at`: one feature at watch, one
    stable, one too thin to measure."""
    return MonitoringReport(
        id=id,
        tenant_id=tenant_id,
        model_version=model_version,
        created_at=created_at,
        window_start=created_at - timedelta(days=window_days),
        window_end=created_at,
        thresholds=DriftThresholds(watch=0.1, act=0.25),
        drift=(
            FeatureDrift("debt_to_income", psi=0.1375, ks=0.0812, level=DriftLevel.WATCH),
            FeatureDrift("savings_ratio", psi=0.0123, ks=0.031, level=DriftLevel.STABLE),
        ),
        unmeasured=("employment_stability",),
        quality=DataQuality(
            rows=240,
            duplicates=3,
            features=(
                FeatureQuality("debt_to_income", 0.0, 0.0, 0.0125),
                FeatureQuality("savings_ratio", 0.05, 0.04, 0.0),
                FeatureQuality("employment_stability", 0.9, 0.1, 0.0),
            ),
        ),
    )
