"""Exact contributions for one application straight through xgboost's C API.

For a single row, most of the time `DMatrix(...)` + `Booster.predict(pred_contribs=True)` take
is not the TreeSHAP itself but the Python wrappers around it: argument checks, data-type
dispatch, JSON written afresh on each call, a class defined per prediction and the copies out
through numpy. About a third of a live score went there (benchmarks/scoring_speed.py). This
module makes the same two C calls the wrappers end in, `XGDMatrixCreateFromDense` and
`XGBoosterPredictFromDMatrix`, with their JSON arguments written once, and reads the result
as Python floats directly. Same library, same model, same inputs: the same numbers, bit for
bit (tests/unit/ml/test_one_row.py holds them equal to `Booster.predict`'s).

It leans on names xgboost does not export (`xgboost.core._LIB`, `_check_call`): the version is
locked in uv.lock, and the equality test fails on an upgrade that changes them. The batch path
keeps the public API, where the wrappers' cost is spread over thousands of rows.
"""

from __future__ import annotations

import ctypes
import json
import math

import numpy as np
import xgboost as xgb
from numpy.typing import NDArray
from xgboost.core import _LIB, _check_call

#: The C API's `bst_ulong`, the type of its counts and shapes.
c_bst_ulong = ctypes.c_uint64

#: `DMatrix(data, missing=np.nan)`'s arguments: NaN is missing, threads as configured (-1).
_DENSE = json.dumps({"missing": math.nan, "nthread": -1, "data_split_mode": 0}).encode()
#: `predict(pred_contribs=True)`'s arguments: type 2 is exact (TreeSHAP) contributions.
_CONTRIBUTIONS = json.dumps(
    {"type": 2, "training": False, "iteration_begin": 0, "iteration_end": 0, "strict_shape": False}
).encode()


def one_row_contributions(booster: xgb.Booster, row: NDArray[np.float64]) -> list[float]:
    """`booster.predict(DMatrix(row, missing=np.nan), pred_contribs=True)[0].tolist()` for a
    (1, features) float64 matrix: the features' contributions, then the bias, as floats."""
    if row.ndim != 2 or row.shape[0] != 1 or row.dtype != np.float64:
        raise ValueError("expected one row of float64 values, shaped (1, features)")
    row = np.ascontiguousarray(row)
    interface = json.dumps(row.__array_interface__).encode()
    matrix = ctypes.c_void_p()
    _check_call(_LIB.XGDMatrixCreateFromDense(interface, _DENSE, ctypes.byref(matrix)))
    try:
        shape = ctypes.POINTER(c_bst_ulong)()
        dims = c_bst_ulong()
        values = ctypes.POINTER(ctypes.c_float)()
        _check_call(
            _LIB.XGBoosterPredictFromDMatrix(
                booster.handle,
                matrix,
                _CONTRIBUTIONS,
                ctypes.byref(shape),
                ctypes.byref(dims),
                ctypes.byref(values),
            )
        )
        # The result lives in the booster's per-thread buffer until its next prediction in
        # this thread: read it now. Its shape is (1, features + 1).
        width = 1
        for axis in range(dims.value):
            width *= shape[axis]
        contributions: list[float] = values[:width]
    finally:
        _check_call(_LIB.XGDMatrixFree(matrix))
    return contributions
