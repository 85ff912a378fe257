"""One row's contributions through xgboost's C API equal `Booster.predict`'s, to the last bit.

`adapters.ml.one_row` skips the Python wrappers for a single application; it must return
exactly what `predict(DMatrix(row, missing=np.nan), pred_contribs=True)` returns, missing
values included, from any thread, and refuse what is not one row of float64.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import xgboost as xgb
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from adapters.ml.model import TrainedModel, load_booster
from adapters.ml.one_row import one_row_contributions

VALUES = st.one_of(
    st.floats(min_value=-1e7, max_value=1e7, allow_nan=False, allow_infinity=False),
    st.just(math.nan),
)


def predicted(booster: xgb.Booster, row: NDArray[np.float64]) -> list[float]:
    """The public API's answer."""
    contributions = booster.predict(xgb.DMatrix(row, missing=np.nan), pred_contribs=True)
    answer: list[float] = contributions[0].tolist()
    return answer


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_row_gets_the_public_apis_contributions_exactly(
    xgb_model: TrainedModel, data: st.DataObject
) -> None:
    booster = load_booster(xgb_model.booster)
    width = len(xgb_model.schema.names)
    values = data.draw(st.lists(VALUES, min_size=width, max_size=width))
    row = np.array([values], dtype=np.float64)

    ours = one_row_contributions(booster, row)

    assert ours == predicted(booster, row)
    assert len(ours) == width + 1


def test_a_slice_of_a_larger_matrix_is_read_as_its_own_values(xgb_model: TrainedModel) -> None:
    booster = load_booster(xgb_model.booster)
    width = len(xgb_model.schema.names)
    matrix = np.arange(3.0 * width).reshape(3, width).T.copy().T  # column-major: not contiguous
    row = matrix[1:2]
    assert one_row_contributions(booster, row) == predicted(booster, np.ascontiguousarray(row))


def test_threads_each_read_their_own_rows(xgb_model: TrainedModel) -> None:
    booster = load_booster(xgb_model.booster)
    width = len(xgb_model.schema.names)
    rows = [np.full((1, width), float(n)) for n in range(40)]
    expected = [predicted(booster, row) for row in rows]

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda row: one_row_contributions(booster, row), rows * 5))

    assert answers == expected * 5


@pytest.mark.parametrize(
    "row",
    [np.zeros((2, 3)), np.zeros(3), np.zeros((1, 3), dtype=np.float32)],
    ids=["two rows", "one dimension", "float32"],
)
def test_anything_but_one_float64_row_is_refused(
    xgb_model: TrainedModel, row: NDArray[np.float64]
) -> None:
    with pytest.raises(ValueError, match="one row of float64"):
        one_row_contributions(load_booster(xgb_model.booster), row)
