"""The model's feature schema: which columns a model reads, in which order, learnt once.

`FeatureSchema` is learned once from training data and travels with the model. It fixes the
order of the columns and, for each categorical input, its known categories *ordered by their
smoothed default rate in training*: the code is the position in that order, so a shallow tree
(and the WOE scorecard) splits it like a risk grade, and each attribute stays one feature with one
contribution that an applicant can be told about. Rare categories are pooled into `OTHER`, which
is also where a category never seen in training goes at scoring time: it is placed by its pooled
rate (the overall rate when nothing was pooled), so an unknown value reads as average, never as
a crash. A missing or unparseable value is NaN, which XGBoost routes by its learned default.

Protected attributes (sex, marital status, age, nationality, ...) are never features: they are
skipped when the schema is learned, and a schema naming one is refused outright.

How a form becomes a row of these columns is `features.py`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cached_property

from attrs import field, frozen

from domain.credit.application import ApplicationForm
from domain.credit.features import FEATURE_NAMES
from domain.credit.reasons import DEFAULT_REASON_CODES

OTHER = "<other>"
#: An attribute holding the price of what the loan buys: named "price" or "..._price".
PRICE_ATTRIBUTE = "price"
LOAN_TO_PRICE = "loan_to_price"

#: Numbers read straight from the form beside the domain features.
FORM_NUMBERS: tuple[str, ...] = (
    "loan_amount",
    "term_months",
    "monthly_income",
    "income_minus_expenses",
    "assets_minus_liabilities",
)
#: Categorical fields every form has; they are coded like categorical attributes.
FORM_CATEGORIES: tuple[str, ...] = ("loan_purpose", "employment_type", "contract_type")
BUILT_IN: frozenset[str] = frozenset((*FEATURE_NAMES, *FORM_NUMBERS, *FORM_CATEGORIES))


def _is_protected(name: str, protected: frozenset[str]) -> bool:
    return name.casefold() in {p.casefold() for p in protected}


@frozen
class CategoricalFeature:
    """A text input and its categories, lowest default rate first; the code is the position."""

    name: str
    categories: tuple[str, ...]

    def __attrs_post_init__(self) -> None:
        if OTHER not in self.categories or len(set(self.categories)) != len(self.categories):
            raise ValueError(f"{self.name}: categories must be distinct and include {OTHER!r}")

    @cached_property
    def codes(self) -> dict[str, float]:
        """Category -> code (its position), built once: `code` reads a row with one lookup."""
        return {category: float(i) for i, category in enumerate(self.categories)}

    def code(self, value: str | None) -> float:
        """NaN when missing; the `OTHER` position for a category not seen in training."""
        if value is None:
            return math.nan
        text = value.strip()
        if not text:
            return math.nan
        codes = self.codes
        return codes.get(text, codes[OTHER])


def _check_not_protected(schema: FeatureSchema, _attribute: object, value: object) -> None:
    leaked = [n for n in schema.names if _is_protected(n, schema.protected)]
    if leaked:
        raise ValueError(f"protected attributes cannot be model features: {leaked}")


@frozen
class FeatureSchema:
    """The columns a model reads, in order, and how each is read from a form."""

    numeric_attributes: tuple[str, ...]
    categorical: tuple[CategoricalFeature, ...]
    price_attribute: str | None = None
    protected: frozenset[str] = field(
        default=DEFAULT_REASON_CODES.protected, validator=_check_not_protected
    )

    @property
    def names(self) -> tuple[str, ...]:
        ratio = (LOAN_TO_PRICE,) if self.price_attribute is not None else ()
        return (
            *FEATURE_NAMES,
            *FORM_NUMBERS,
            *ratio,
            *self.numeric_attributes,
            *(c.name for c in self.categorical),
        )

    @cached_property
    def category_readers(self) -> tuple[tuple[str, bool, CodeReader], ...]:
        """Per categorical input, built once: its name, whether it is read from the attributes
        (else from the form's own fields, see `_texts`), and its codes by value (`CodeReader`)."""
        return tuple(
            (c.name, c.name not in BUILT_IN, CodeReader(c.codes, c.codes[OTHER]))
            for c in self.categorical
        )

    @cached_property
    def price_position(self) -> int | None:
        """Where the price attribute is among the numeric ones, if it is one (it is read once)."""
        if self.price_attribute in self.numeric_attributes:
            return self.numeric_attributes.index(self.price_attribute)
        return None


class CodeReader(dict[str | None, float]):
    """A categorical input's value, as a form holds it, -> its code, as `CategoricalFeature.code`
    reads it: NaN when missing or blank, else the position of the stripped text, or `OTHER`'s.

    Each distinct value is worked out once and remembered, up to `REMEMBERED` of them, so that
    a stream of ever new texts cannot make it grow without end.
    """

    REMEMBERED = 4096

    def __init__(self, codes: dict[str, float], other: float) -> None:
        super().__init__()
        self._codes, self._other = codes, other

    def __missing__(self, value: str | None) -> float:
        text = value.strip() if value is not None else ""
        code = self._codes.get(text, self._other) if text else math.nan
        if len(self) < self.REMEMBERED:
            self[value] = code
        return code


def _texts(form: ApplicationForm) -> dict[str, str]:
    """The form's text inputs: its categorical fields, then its attributes (built-ins win)."""
    built_in = {
        "loan_purpose": form.loan.purpose.value,
        "employment_type": form.applicant.employment.employment_type.value,
        "contract_type": form.applicant.employment.contract_type.value,
    }
    extra = {k: v for k, v in form.attributes.items() if k not in BUILT_IN}
    return {**extra, **built_in}


def _is_price(name: str) -> bool:
    folded = name.casefold()
    return folded == PRICE_ATTRIBUTE or folded.endswith(f"_{PRICE_ATTRIBUTE}")


def _number(text: str | None) -> float:
    if text is None:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        return math.nan
    return value if math.isfinite(value) else math.nan


def fit_schema(
    forms: Sequence[ApplicationForm],
    defaulted: Sequence[bool],
    *,
    protected: Iterable[str] = DEFAULT_REASON_CODES.protected,
    min_category_count: int = 10,
    max_categories: int = 50,
    smoothing: float = 10.0,
) -> FeatureSchema:
    """Learn the schema from training forms and their outcomes.

    An attribute is numeric when every non-empty value it has parses as a finite number, else
    categorical. Categories seen fewer than `min_category_count` times (or beyond the
    `max_categories` most frequent) are pooled into `OTHER`. Default rates are smoothed towards
    the overall rate with `smoothing` pseudo-applications, so a small category is not ranked on
    noise. Attributes named in `protected` (case-insensitive) are skipped.
    """
    if len(forms) != len(defaulted) or not forms:
        raise ValueError("need one outcome per form, and at least one form")
    excluded = frozenset(protected)
    columns: dict[str, list[tuple[str, bool]]] = {}
    for form, bad in zip(forms, defaulted, strict=True):
        for name, text in _texts(form).items():
            if text.strip() and not _is_protected(name, excluded):
                columns.setdefault(name, []).append((text.strip(), bad))
    prior = sum(defaulted) / len(defaulted)
    numeric: list[str] = []
    categorical: list[CategoricalFeature] = []
    for name in sorted(columns):
        values = columns[name]
        if name not in FORM_CATEGORIES and all(not math.isnan(_number(t)) for t, _ in values):
            numeric.append(name)
            continue
        categorical.append(
            _ordered_categories(
                name,
                values,
                prior=prior,
                min_count=min_category_count,
                max_categories=max_categories,
                smoothing=smoothing,
            )
        )
    position = {name: i for i, name in enumerate(FORM_CATEGORIES)}
    categorical.sort(key=lambda c: (position.get(c.name, len(position)), c.name))
    price = next((n for n in numeric if _is_price(n)), None)
    return FeatureSchema(tuple(numeric), tuple(categorical), price, excluded)


def _ordered_categories(
    name: str,
    values: list[tuple[str, bool]],
    *,
    prior: float,
    min_count: int,
    max_categories: int,
    smoothing: float,
) -> CategoricalFeature:
    counts = Counter(text for text, _ in values)
    kept = {c for c, n in counts.most_common(max_categories) if n >= min_count and c != OTHER}
    totals: Counter[str] = Counter()
    bads: Counter[str] = Counter()
    for text, bad in values:
        key = text if text in kept else OTHER
        totals[key] += 1
        bads[key] += int(bad)

    def rate(category: str) -> float:
        return (bads[category] + smoothing * prior) / (totals[category] + smoothing)

    ordered = sorted([*kept, OTHER], key=lambda c: (rate(c), c))
    return CategoricalFeature(name, tuple(ordered))
