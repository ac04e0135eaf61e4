"""One gradient step in exact numbers, as a worked example on paper."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..oracle import numeric, tolerances
from ..model.optimizers import gradient_step
from ..symbolic.backprop import Backprop, backprop
from ..model.spec import MLP
from ..exact.evaluation import flatten
from ..exact.evaluation import float_values
from .exact import max_difference


@dataclass(frozen=True)
class WorkedStep:
    spec: MLP
    step: int  # 1 for the first step
    params: dict  # exact values before the step
    x: tuple
    y: tuple
    learning_rate: sp.Rational
    result: Backprop  # forward values, deltas and gradients, exact
    updated: dict  # exact values after the step
    numeric_difference: float  # largest relative difference, exact vs NumPy float64, entry by entry

    @property
    def checked(self) -> bool:
        return self.numeric_difference < tolerances.SAME_FORMULA

    def distinct_entries(self, name: str) -> bool:
        """After the step, do the entries of ``name`` differ (exactly)?"""
        return len(set(flatten(self.updated[name]))) > 1

    def rows_equal(self, name: str) -> bool:
        """After the step, are the rows of the matrix ``name`` identical (exactly)?"""
        rows = self.updated[name]
        return all(row == rows[0] for row in rows)

    def moved(self, name: str) -> bool:
        """Did the step change ``name`` (its exact gradient is not identically 0)?"""
        return any(e != 0 for e in flatten(self.result.gradients[name]))


def worked_steps(spec: MLP, params: dict, x, y, learning_rate, steps: int) -> tuple[WorkedStep, ...]:
    x = tuple(sp.sympify(v) for v in x)
    y = tuple(sp.sympify(v) for v in y)
    learning_rate = sp.sympify(learning_rate)
    done = []
    for step in range(1, steps + 1):
        result = backprop(spec, params, x, y)
        updated = gradient_step(params, result.gradients, learning_rate)
        reference = numeric.backprop(spec, float_values(params), np.array(x, dtype=float),
                                     np.array(y, dtype=float))
        difference = max_difference(result.gradients, reference.gradients)
        done.append(WorkedStep(spec, step, params, x, y, learning_rate, result, updated, difference))
        params = updated
    return tuple(done)
