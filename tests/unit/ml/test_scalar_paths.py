"""One application is scored in plain Python; a batch in numpy. The two give the very same bits.

A score must not depend on whether its form came alone or in a batch, so each scalar step of
`LoadedModel.explain_values` is held here to the numpy step it stands for, bit for bit (sign of
zero included), over values Hypothesis picks: the calibrator (`Calibrator.probability_of`
against `Calibrator.probability`) and the sum of a row (`row_sum` against `np.add.reduce`).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.ml.calibration import PD_FLOOR, CalibrationMethod, Calibrator
from adapters.ml.features import feature_list, feature_matrix
from adapters.ml.model import LoadedModel, TrainedModel, row_sum
from tests.unit.ml.conftest import History


def same_bits(a: float, b: float) -> bool:
    """Equal as stored: -0.0 is not 0.0, and any NaN is a NaN."""
    return (math.isnan(a) and math.isnan(b)) or a.hex() == b.hex()


SPECIAL = st.sampled_from([0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, -1e308, 1e308])
MARGINS = st.floats(min_value=-50.0, max_value=50.0) | st.floats() | SPECIAL
COEFFICIENTS = st.floats(min_value=-20.0, max_value=20.0) | st.floats(allow_nan=False)


@st.composite
def isotonic_calibrators(draw: st.DrawFn) -> Calibrator:
    xs = sorted(draw(st.lists(st.floats(-30.0, 30.0), min_size=1, max_size=40)))
    ys = draw(st.lists(st.floats(0.0, 1.0), min_size=len(xs), max_size=len(xs)))
    return Calibrator(CalibrationMethod.ISOTONIC, knots_x=tuple(xs), knots_y=tuple(sorted(ys)))


CALIBRATORS = isotonic_calibrators() | st.builds(
    Calibrator, st.just(CalibrationMethod.PLATT), COEFFICIENTS, COEFFICIENTS
)


@st.composite
def margins_for(draw: st.DrawFn, calibrator: Calibrator) -> list[float]:
    """Margins anywhere, and on or right beside the knots, where interpolation turns."""
    near = [v for x in calibrator.knots_x for v in (x, math.nextafter(x, math.inf))]
    anywhere = MARGINS | st.sampled_from(near) if near else MARGINS
    return draw(st.lists(anywhere, min_size=1, max_size=60))


@settings(max_examples=400, deadline=None)
@given(st.data(), CALIBRATORS)
def test_one_margin_is_calibrated_as_in_a_batch_to_the_last_bit(
    data: st.DataObject, calibrator: Calibrator
) -> None:
    margins = data.draw(margins_for(calibrator))
    with np.errstate(all="ignore"):  # exp overflows alike on both paths
        batch = calibrator.probability(np.array(margins, dtype=np.float64)).tolist()
        alone = [calibrator.probability_of(m) for m in margins]
        each = [float(calibrator.probability(np.array([m]))[0]) for m in margins]
    assert all(same_bits(a, b) for a, b in zip(alone, batch, strict=True)), (alone, batch)
    assert all(same_bits(a, b) for a, b in zip(alone, each, strict=True))
    assert all(math.isnan(p) or PD_FLOOR <= p <= 1 - PD_FLOOR for p in alone)


ROW_VALUES = st.floats(min_value=-10.0, max_value=10.0) | st.floats() | SPECIAL


@settings(max_examples=400, deadline=None)
@given(st.lists(ROW_VALUES, max_size=300), st.integers(min_value=0, max_value=3))
def test_a_row_is_summed_in_numpys_order_to_the_last_bit(values: list[float], rows: int) -> None:
    # The same row alone, inside a matrix, and as a strided view (the last column cut off, as
    # the bias column is) is summed alike.
    matrix = np.array([[*values, 1.0]] * (rows + 1), dtype=np.float64)
    with np.errstate(all="ignore"):  # inf - inf, as in Python
        alone = np.add.reduce(np.array([values], dtype=np.float64), axis=1).tolist()
        totals = alone + np.add.reduce(matrix[:, :-1], axis=1).tolist()
    assert all(same_bits(row_sum(values), total) for total in totals)


@pytest.mark.parametrize("model_name", ["blended_model", "xgb_model"])
def test_a_row_of_python_floats_is_explained_as_its_row_of_the_batch(
    model_name: str, request: pytest.FixtureRequest, history: History
) -> None:
    model: TrainedModel = request.getfixturevalue(model_name)
    forms, _ = history
    loaded = LoadedModel(model)
    batch = loaded.explain(feature_matrix(forms, model.schema))
    for i, form in enumerate(forms):
        contributions, base, pd = loaded.explain_values(feature_list(form, model.schema))
        assert contributions == batch.contributions[i].tolist()
        assert (base, pd) == (batch.base_values[i], batch.probabilities[i])
    with pytest.raises(ValueError, match="one row"):
        loaded.explain_values(feature_list(forms[0], model.schema)[:-1])
