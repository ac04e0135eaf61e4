"""The case table of the 2-2-1 worked example: which parameter groups move at
steps 1, 2, 3 under three initializations, and whether the hidden units are
still identical. Computed exactly (SymPy at concrete rational values; a group
"moves" when its update is provably nonzero) and confirmed with NumPy float64."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..oracle import numeric, tolerances
from ..model.optimizers import gradient_step
from ..symbolic.backprop import backprop
from ..induction.invariants import entry, invariant_identities
from ..initialization.patterns import InitPattern, parse_init
from ..model.spec import MLP
from ..exact.evaluation import flatten
from ..exact.evaluation import float_values
from .exact import NONZERO, UNKNOWN, ZERO, Evaluator
from ..induction.trace import trace

#: Each row's initialization as a ``--init`` pattern: the same numbers as
#: ``symcheck trace --init PATTERN --seed SEED``.
CASES = (
    ("a", "W=0,b=0"),
    ("b", "W=0,b=random"),
    ("c", "W=random,b=0"),
)


@dataclass(frozen=True)
class CaseStep:
    step: int
    moved: tuple[str, ...]  # parameter groups whose update is provably nonzero
    unmoved: tuple[str, ...]  # provably zero update
    unknown: tuple[str, ...]  # neither could be decided
    tied: bool | None  # every symmetry invariant holds after the step (None: undecided)
    numeric_moved: tuple[str, ...]  # the same question answered in NumPy float64

    @property
    def agrees(self) -> bool:
        return not self.unknown and self.moved == self.numeric_moved


@dataclass(frozen=True)
class CaseRow:
    label: str
    init: InitPattern  # the row's initial values, as ``symcheck trace`` takes them
    steps: tuple[CaseStep, ...]

    @property
    def agrees(self) -> bool:
        return all(step.agrees for step in self.steps)


@dataclass(frozen=True)
class CaseTable:
    spec: MLP
    x: tuple
    y: tuple
    learning_rate: sp.Rational
    seed: int
    rows: tuple[CaseRow, ...]

    trace_agrees: tuple[bool, ...] = ()  # per row: consistent with ``symcheck.induction.trace`` (for every x, y, eta)

    @property
    def agrees(self) -> bool:
        return all(row.agrees for row in self.rows)


def case_row(spec: MLP, label, init: InitPattern, x, y, learning_rate, steps) -> CaseRow:
    params = init.values(spec)
    evaluate = Evaluator()
    arrays = float_values(params)
    done = []
    for step in range(1, steps + 1):
        gradients = backprop(spec, params, x, y).gradients
        verdicts = {name: _group_zeroness(gradients[name], evaluate) for name in spec.parameter_names}
        params = evaluate.abstract_parameters(gradient_step(params, gradients, learning_rate))
        _, numeric_gradients = numeric.batch_gradients(spec, arrays, [np.array(x, float)], [np.array(y, float)])
        updated = gradient_step(arrays, numeric_gradients, float(learning_rate))
        numeric_moved = tuple(n for n in spec.parameter_names
                              if np.max(np.abs(updated[n] - arrays[n])) > tolerances.UNMOVED)
        arrays = updated
        tied = _tied(spec, params, evaluate)
        done.append(CaseStep(
            step,
            tuple(n for n, v in verdicts.items() if v == NONZERO),
            tuple(n for n, v in verdicts.items() if v == ZERO),
            tuple(n for n, v in verdicts.items() if v == UNKNOWN),
            tied, numeric_moved,
        ))
    return CaseRow(label, init, tuple(done))


def _tied(spec, params, evaluate: Evaluator) -> bool | None:
    """Every identity of every invariant: identical trees prove it, a clear difference refutes it.
    Exact values decided by the decider, not a float tie check (``oracle.ties`` judges floats)."""
    verdicts = [evaluate.equal(entry(params[i.group], i.position), entry(params[i.group], i.reference))
                for identities in invariant_identities(spec).values() for i in identities]
    if False in verdicts:
        return False
    return None if None in verdicts else True


def _group_zeroness(value, evaluate: Evaluator) -> str:
    verdicts = {evaluate.zeroness(e) for e in flatten(value)}
    if NONZERO in verdicts:
        return NONZERO
    return UNKNOWN if UNKNOWN in verdicts else ZERO


def trace_consistent(row: CaseRow, traced) -> bool:
    """The row (one example, one learning rate) against the trace from the same values (every
    example sequence, every learning rate). Only what the trace decided can contradict the row:
    a group with zero gradient for every input is unmoved here, and units tied for every input
    are tied here. A group the trace left undecided (kinks at symbolic inputs) constrains nothing."""
    for case, step in zip(row.steps, traced.steps):
        if not set(step.zero_gradient) <= set(case.unmoved):
            return False
        if step.invariants_hold and case.tied is not True:
            return False
    return len(traced.steps) == len(row.steps)


def cross_check_with_trace(spec: MLP, rows, seed: int) -> tuple[bool, ...]:
    return tuple(trace_consistent(row, trace(spec, row.init, len(row.steps), seed)) for row in rows)


def case_table(spec: MLP, x, y, learning_rate=1, seed: int = 0, steps: int = 3) -> CaseTable:
    x = tuple(sp.sympify(v) for v in x)
    y = tuple(sp.sympify(v) for v in y)
    learning_rate = sp.sympify(learning_rate)
    rows = tuple(case_row(spec, label, parse_init(pattern, seed), x, y, learning_rate, steps)
                 for label, pattern in CASES)
    return CaseTable(spec, x, y, learning_rate, seed, rows, cross_check_with_trace(spec, rows, seed))
