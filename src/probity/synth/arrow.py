"""Turning numpy columns into Arrow tables with the contract's logical types."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa


def column(values: Any) -> pa.Array:
    arr = np.asarray(values)
    if arr.dtype.kind == "M":
        unit = np.datetime_data(arr.dtype)[0]
        mask = np.isnat(arr)
        if unit == "D":
            return pa.array(arr.astype("datetime64[D]"), type=pa.date32(), mask=mask)
        return pa.array(arr.astype("datetime64[s]"), type=pa.timestamp("s"), mask=mask)
    if arr.dtype.kind == "U":
        return pa.array(arr.astype(object), type=pa.string())
    if arr.dtype.kind == "O":
        inferred = pa.array(arr, from_pandas=True)
        return inferred.cast(pa.string()) if pa.types.is_null(inferred.type) else inferred
    return pa.array(arr)


def money(values: np.ndarray) -> pa.Array:
    """Pounds with two decimals, exact (via whole pence)."""
    pence = np.round(np.asarray(values, dtype=float) * 100).astype(np.int64)
    return pa.array([Decimal(int(p)).scaleb(-2) for p in pence], type=pa.decimal128(12, 2))


def table(**columns: Any) -> pa.Table:
    return pa.table(
        {name: v if isinstance(v, pa.Array) else column(v) for name, v in columns.items()}
    )


def dictionary(indices: np.ndarray, values: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    """A dictionary-encoded string column: cheap to build and to write for huge tables."""
    idx = pa.array(indices.astype(np.int32), mask=null)
    return pa.DictionaryArray.from_arrays(idx, pa.array(values.astype(object), type=pa.string()))
