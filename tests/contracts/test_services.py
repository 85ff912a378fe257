from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from attrs import evolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.ml.scorer import XGBoostScorer
from adapters.ml.training import TrainingConfig, fit_model
from adapters.ml.tuning import SearchSpace
from adapters.security.passwords import Argon2PasswordHasher
from adapters.security.tokens import JwtTokenIssuer
from application.credit.ports import Explainer, Scorer
from application.ports import (
    Clock,
    IdGenerator,
    InvalidToken,
    Job,
    JobQueue,
    PasswordHasher,
    TokenClaims,
    TokenIssuer,
)
from domain.credit.application import ApplicationForm
from domain.credit.defaults import DEFAULT_SCALE
from domain.credit.scorecard import MissingFeature
from domain.credit.scoring import ModelScore
from tests.builders import NOW, a_job, an_application_form, token_claims
from tests.fakes import (
    FAKE_PD_FLOOR,
    FakeJobQueue,
    FakePasswordHasher,
    FakeScorer,
    FakeTokenIssuer,
    FixedClock,
    SequentialIds,
)
from tests.unit.domain.strategies import forms
from tests.unit.ml.synthetic import synthetic_history


def _fake_job_queue(_request: pytest.FixtureRequest) -> tuple[JobQueue, Callable[[], list[Job]]]:
    queue = FakeJobQueue()
    return queue, lambda: list(queue.jobs)


def _fake_model(_request: pytest.FixtureRequest) -> tuple[Scorer, Explainer]:
    scorer = FakeScorer()
    return scorer, scorer.explainer


@pytest.fixture(scope="module")
def trained_scorer() -> XGBoostScorer:
    """A small real model: a few shallow trees averaged with the WOE scorecard, then calibrated
    (Platt), trained once on a synthetic history, so it is quick and still the real thing."""
    history, defaulted = synthetic_history(300)
    search = SearchSpace(
        max_depths=(2,), learning_rates=(0.3,), tree_counts=(5,), blend_weights=(0.5,)
    )
    config = TrainingConfig(outer_folds=2, inner_folds=2, search=search)
    model, _steps = fit_model(history, defaulted, config, version="contract-xgb-1")
    return XGBoostScorer(model)


def _xgboost_model(request: pytest.FixtureRequest) -> tuple[Scorer, Explainer]:
    scorer: XGBoostScorer = request.getfixturevalue("trained_scorer")
    return scorer, scorer


# One table per port: a real adapter joins its contract by adding a name and a factory.
_CLOCKS: dict[str, Callable[[pytest.FixtureRequest], Clock]] = {"fixed": lambda _r: FixedClock()}
_IDS: dict[str, Callable[[pytest.FixtureRequest], IdGenerator]] = {
    "sequential": lambda _r: SequentialIds()
}
_JOB_QUEUES = {"memory": _fake_job_queue}
_HASHERS: dict[str, Callable[[pytest.FixtureRequest], PasswordHasher]] = {
    "fake": lambda _r: FakePasswordHasher(),
    # Argon2id at its cheapest parameters: the scheme under test, at a test's speed.
    "argon2": lambda _r: Argon2PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}
_ISSUERS: dict[str, Callable[[pytest.FixtureRequest], Callable[[bytes], TokenIssuer]]] = {
    "fake": lambda _r: FakeTokenIssuer,
    "jwt": lambda _r: JwtTokenIssuer,
}
_MODELS = {"fake": _fake_model, "xgboost": _xgboost_model}


@pytest.fixture(params=sorted(_CLOCKS))
def clock(request: pytest.FixtureRequest) -> Clock:
    return _CLOCKS[request.param](request)


@pytest.fixture(params=sorted(_IDS))
def ids(request: pytest.FixtureRequest) -> IdGenerator:
    return _IDS[request.param](request)


@pytest.fixture(params=sorted(_JOB_QUEUES))
def job_queue(request: pytest.FixtureRequest) -> tuple[JobQueue, Callable[[], list[Job]]]:
    """The queue and a way to read what reached the workers."""
    return _JOB_QUEUES[request.param](request)


@pytest.fixture(params=sorted(_HASHERS))
def hasher(request: pytest.FixtureRequest) -> PasswordHasher:
    return _HASHERS[request.param](request)


@pytest.fixture(params=sorted(_ISSUERS))
def new_issuer(request: pytest.FixtureRequest) -> Callable[[bytes], TokenIssuer]:
    """Makes an issuer signing with the given secret."""
    return _ISSUERS[request.param](request)


@pytest.fixture
def issuer(new_issuer: Callable[[bytes], TokenIssuer]) -> TokenIssuer:
    return new_issuer(b"contract-test-secret-0123456789abcdef")


@pytest.fixture(params=sorted(_MODELS))
def model(request: pytest.FixtureRequest) -> tuple[Scorer, Explainer]:
    """A scorer and the explainer of the same model."""
    return _MODELS[request.param](request)


_per_example = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_the_clock_tells_aware_time_that_never_goes_back(clock: Clock) -> None:
    first, second = clock.now(), clock.now()

    assert first.utcoffset() is not None
    assert second >= first


def test_the_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(NOW)
    assert clock.now() == clock.now() == NOW

    clock.advance(timedelta(hours=9))
    assert clock.now() == NOW + timedelta(hours=9)
    clock.set(NOW - timedelta(days=1))
    assert clock.now() == NOW - timedelta(days=1)
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.set(datetime(2026, 11, 22, 9, 30))  # noqa: DTZ001 - the naive time under test


def test_ids_are_non_empty_and_never_repeat(ids: IdGenerator) -> None:
    issued = [ids.new_id() for _ in range(1000)]

    assert all(issued)
    assert len(set(issued)) == 1000


def test_sequential_ids_count_up_from_one_after_their_prefix() -> None:
    ids = SequentialIds("app-")

    assert [ids.new_id() for _ in range(3)] == ["app-1", "app-2", "app-3"]


def test_a_job_is_delivered_once_per_idempotency_key(
    job_queue: tuple[JobQueue, Callable[[], list[Job]]],
) -> None:
    queue, delivered = job_queue
    first, other = a_job(idempotency_key="msg-1"), a_job(idempotency_key="msg-2")

    queue.enqueue(first)
    queue.enqueue(a_job(name="score_application", idempotency_key="msg-1"))
    queue.enqueue(other)
    queue.enqueue(first)

    assert delivered() == [first, other]


_passwords = st.text(min_size=1, max_size=64)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(password=_passwords, other=_passwords)
def test_a_hash_verifies_its_password_and_no_other(
    hasher: PasswordHasher, password: str, other: str
) -> None:
    hashed = hasher.hash(password)

    assert hashed != password
    assert hasher.verify(hashed, password)
    assert hasher.verify(hashed, other) is (other == password)
    assert not hasher.needs_rehash(hashed)


def test_a_foreign_hash_never_verifies_and_needs_rehash(hasher: PasswordHasher) -> None:
    for foreign in ("", "correct horse", "$2b$12$abcdefghijklmnopqrstuv", "sha1:5baa61e4"):
        assert not hasher.verify(foreign, "correct horse")
        assert hasher.needs_rehash(foreign)


_whole_seconds = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - Hypothesis takes naive bounds
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001 - and adds the zone below
    timezones=st.just(UTC),
).map(lambda moment: moment.replace(microsecond=0))


@st.composite
def _claims(draw: st.DrawFn) -> TokenClaims:
    return token_claims(
        subject=draw(st.text(min_size=1, max_size=40)),
        tenant_id=draw(st.text(min_size=1, max_size=40)),
        permissions=draw(st.frozensets(st.text(min_size=1, max_size=30), max_size=6)),
        issued_at=draw(_whole_seconds),
        lifetime=timedelta(seconds=draw(st.integers(min_value=1, max_value=90 * 86_400))),
        token_id=draw(st.text(min_size=1, max_size=40)),
    )


@_per_example
@given(claims=_claims())
def test_a_token_carries_its_claims_unchanged(issuer: TokenIssuer, claims: TokenClaims) -> None:
    assert issuer.verify(issuer.issue(claims), claims.issued_at) == claims


def test_a_token_is_valid_until_the_moment_it_expires(issuer: TokenIssuer) -> None:
    claims = token_claims(issued_at=NOW, lifetime=timedelta(minutes=30))
    token = issuer.issue(claims)

    assert issuer.verify(token, claims.expires_at - timedelta(seconds=1)) == claims
    for late in (claims.expires_at, claims.expires_at + timedelta(days=365)):
        with pytest.raises(InvalidToken):
            issuer.verify(token, late)


def _replace_char(token: str, index: int) -> str:
    swapped = "B" if token[index] == "A" else "A"
    return token[:index] + swapped + token[index + 1 :]


def test_a_tampered_token_is_rejected(issuer: TokenIssuer) -> None:
    token = issuer.issue(token_claims(permissions=frozenset({"application:view"})))

    for forged in (
        _replace_char(token, len(token) // 3),
        _replace_char(token, len(token) // 2),
        token[:-5],
        token + "A",
    ):
        with pytest.raises(InvalidToken):
            issuer.verify(forged, NOW)


def test_a_token_of_another_issuer_or_no_token_is_rejected(
    new_issuer: Callable[[bytes], TokenIssuer], issuer: TokenIssuer
) -> None:
    foreign = new_issuer(b"somebody-elses-secret-0123456789abcd").issue(token_claims())

    for token in (foreign, "", "not-a-token", "a.b", "a.b.c"):
        with pytest.raises(InvalidToken):
            issuer.verify(token, NOW)


_attributes = st.fixed_dictionaries(
    {},
    optional={
        "purchase_price": st.one_of(
            st.integers(min_value=500, max_value=1_000_000).map(str), st.just("n/a")
        ),
        "home": st.sampled_from(("owner", "rent", "parents", "other", "houseboat")),
        "records": st.sampled_from(("yes", "no")),
    },
)


# A real model takes milliseconds a call, so its contracts try fewer examples than the rest.
_per_model_example = settings(
    max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def _forms(draw: st.DrawFn) -> ApplicationForm:
    """Valid forms, with some of the lender's attributes a model may read (some unparseable)."""
    return evolve(draw(forms()), attributes=draw(_attributes))


def _margin(scored: ModelScore) -> float:
    return scored.base_value + math.fsum(value for _name, value in scored.contributions)


@_per_model_example
@given(form=_forms())
def test_a_score_is_a_calibrated_probability_explained_exactly(
    model: tuple[Scorer, Explainer], form: ApplicationForm
) -> None:
    scorer, explainer = model
    scored = scorer.score(form)

    assert scored.model_version == scorer.model_version != ""
    assert 0.0 < scored.probability_of_default < 1.0
    assert scored.score == DEFAULT_SCALE.score_from_pd(scored.probability_of_default)
    names = [name for name, _value in scored.contributions]
    assert names
    assert len(set(names)) == len(names)
    assert all(math.isfinite(value) for _name, value in scored.contributions)
    assert math.isfinite(_margin(scored))
    assert explainer.explain(form) == scored.contributions
    assert scorer.score(form) == scored


@_per_model_example
@given(forms=st.lists(_forms(), max_size=5))
def test_scoring_a_batch_equals_scoring_each_form(
    model: tuple[Scorer, Explainer], forms: list[ApplicationForm]
) -> None:
    scorer, _explainer = model

    assert scorer.score_batch(forms) == [scorer.score(form) for form in forms]


@_per_model_example
@given(forms=st.lists(_forms(), min_size=2, max_size=8))
def test_a_larger_margin_never_means_a_smaller_probability(
    model: tuple[Scorer, Explainer], forms: list[ApplicationForm]
) -> None:
    scorer, _explainer = model
    scored = sorted(scorer.score_batch(forms), key=_margin)

    for lower, higher in itertools.pairwise(scored):
        if _margin(lower) < _margin(higher) - 1e-9:
            assert lower.probability_of_default <= higher.probability_of_default


@given(form=_forms())
def test_the_fake_calibrates_with_the_logistic_function(form: ApplicationForm) -> None:
    scored = FakeScorer().score(form)

    expected = min(max(_logistic(_margin(scored)), FAKE_PD_FLOOR), 1.0 - FAKE_PD_FLOOR)
    assert scored.probability_of_default == pytest.approx(expected, rel=1e-9)


def _logistic(log_odds: float) -> float:
    return 0.5 * (1.0 + math.tanh(log_odds / 2.0))


def test_the_fake_scorer_needs_the_inputs_it_weighs() -> None:
    scorer = FakeScorer(weights={"savings_ratio": -0.8, "purchase_price": -0.0001})
    with pytest.raises(MissingFeature, match="purchase_price"):
        scorer.score(an_application_form())
    priced = evolve(an_application_form(), attributes={"purchase_price": "20000"})
    assert dict(scorer.score(priced).contributions)["purchase_price"] == pytest.approx(-2.0)
