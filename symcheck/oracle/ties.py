"""The one check of "are these units still tied?" on float parameters.

A hidden unit r of layer i is its *unit vector*: its incoming row W_i[r, :], its bias
b_i[r] and its outgoing column W_{i+1}[:, r]. Units are tied when their vectors agree,
judged one of two ways:

- **bitwise** (``first_untied``): ``==`` entry by entry, NaN never equal. Twins go through
  the same IEEE 754 operations in the same order (``numeric.matvec``), so in exact-tie
  training they stay *exactly* equal, and any tolerance would call units tied that differ by
  less than it (1e12 and 1e12 + 1);
- **relative** (``class_gap``, ``tie_level``): entry by entry, the spread over the units
  against the entry's own size or the terms it is summed from (``numeric.worst_gap``), for ties that floating point cannot
  keep exactly: the block sums of a functional class are sums of different numbers, a float32
  model rounds its twins apart. A gap of 0 is bitwise; up to ``tolerances.TIE_DRIFT`` (or a
  caller's tolerance) the tie is kept to a tolerance; above it, or NaN or inf, it is not kept.
"""

from __future__ import annotations

import numpy as np

from ..model.spec import MLP
from . import tolerances
from .numeric import worst_gap

BITWISE, TOLERANCE, NOT_KEPT = "bitwise", "to a tolerance", "not kept"


def unit_vectors(spec: MLP, params: dict, layer: int) -> np.ndarray:
    """One row per unit of hidden layer ``layer``: incoming weights, bias, outgoing weights."""
    incoming = np.asarray(params[f"W{layer}"], dtype=float)  # rules that rebuild rows give tuples
    bias = np.asarray(params[f"b{layer}"], dtype=float)[:, np.newaxis]
    outgoing = np.asarray(params[f"W{layer + 1}"], dtype=float).T
    return np.concatenate([incoming, bias, outgoing], axis=1)


def first_untied(spec: MLP, params: dict) -> str:
    """'' if in every hidden layer all units are bitwise equal (the full tie of constant
    initialization), else where they first differ: "W2 rows differ", "b1 entries differ",
    "W3 columns differ"."""
    for layer in range(1, spec.depth + 1):
        vectors = unit_vectors(spec, params, layer)
        differ = ~np.all(vectors == vectors[:1], axis=0)  # per column of the unit vectors; NaN differs
        incoming = spec.widths[layer - 1]
        if differ[:incoming].any():
            return f"W{layer} rows differ"
        if differ[incoming]:
            return f"b{layer} entries differ"
        if differ[incoming + 1:].any():
            return f"W{layer + 1} columns differ"
    return ""


def class_gap(rows, floor=0.0) -> float:
    """The largest relative difference between two units (rows) of a class: entry by entry, the
    spread (largest minus smallest value over the units) against the larger of the largest
    |value| and ``floor`` (a number, or one per entry: how large the terms of the entry are).
    0 exactly when the rows are bitwise equal; inf if any entry is NaN or inf."""
    rows = np.asarray(rows, dtype=float)
    if not np.all(np.isfinite(rows)):
        return float("inf")
    if len(rows) < 2:
        return 0.0
    return worst_gap(rows.max(axis=0), rows.min(axis=0), floor)


def tie_level(gap: float, tolerance: float = tolerances.TIE_DRIFT) -> str:
    """BITWISE (gap 0), TOLERANCE (at most ``tolerance``) or NOT_KEPT (above it, or NaN)."""
    if gap == 0.0:
        return BITWISE
    return TOLERANCE if gap <= tolerance else NOT_KEPT
