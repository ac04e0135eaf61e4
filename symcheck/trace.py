"""Step-by-step traces of plain gradient descent from a given initialization.

Data enter as *fresh symbols at every step*: step t uses its own example
(x^t, y^t), and the learning rate is one symbol eta > 0. So every statement of
a trace holds for every data sequence and every learning rate:

- a group has a **zero gradient** at step t when each entry of dL/dtheta is 0
  as an expression (SymPy's canonical form, or ``simplify``) -- for every input
  and target, not at sampled points;
- a group **moves** when some entry of its gradient is not identically zero,
  shown by an exact rational witness (data of steps 1..t, eta, and any
  symbolic constant of the init) at which it is nonzero; every witness is
  replayed independently (``replay``: a plain-Python backprop, exact
  rationals or 60-digit mpmath);
- an **invariant holds** after step t when each of its identities is a
  syntactic identity; it fails when a rational witness separates the entries.

Parameters after step 1 are expressions in x^1, y^1 and eta; later steps nest
them, so traces are meant for small networks and a few steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp

from . import replay
from .analysis import is_dead_start, prove_dead
from .evaluation import dag_free_symbols
from .backprop import backprop, data_symbols, gradient_step
from .identities import REFUTED, UNDECIDED
from .optimizers import get_optimizer
from .spec import MLP
from .stepcheck import Sampler, decide
from .invariants import entry, symmetry_invariants
from .proof import LEARNING_RATE

MAX_STEPS = 6
DATA_NOTE = ("each step t uses its own symbolic example (x^t, y^t) and the learning rate is a symbol "
             "eta > 0: every statement holds for every data sequence and every learning rate")


@dataclass(frozen=True)
class Witness:
    """Values at which an expression is nonzero (or two entries differ), with its replay."""

    entry: str
    point: dict  # symbol name -> Fraction
    value: str
    recheck: str  # the replayed value, or "" when not replayed
    rechecked: bool


@dataclass(frozen=True)
class GroupStatus:
    name: str
    status: str  # zero | moves | undecided
    method: str
    equal_moves: bool  # every entry moves by the same expression
    witness: Witness | None


@dataclass(frozen=True)
class InvariantStatus:
    description: str
    status: str  # holds | fails | undecided
    witness: Witness | None


@dataclass(frozen=True)
class TraceStep:
    step: int
    groups: tuple[GroupStatus, ...]
    invariants: tuple[InvariantStatus, ...]

    @property
    def moved(self) -> list[str]:
        return [g.name for g in self.groups if g.status == "moves"]

    @property
    def zero_gradient(self) -> list[str]:
        return [g.name for g in self.groups if g.status == "zero"]

    @property
    def invariants_hold(self) -> bool:
        return all(i.status == "holds" for i in self.invariants)


@dataclass(frozen=True)
class Trace:
    spec: MLP
    init: object
    initial_invariants: tuple[InvariantStatus, ...]
    steps: tuple[TraceStep, ...]
    dead: object  # analysis.Claim or None
    data_note: str = DATA_NOTE

    def _repr_latex_(self) -> str:
        from .render.latex import notebook_latex  # rendering stays out of the math modules

        return notebook_latex(self)


def _entries(value):
    if value and isinstance(value[0], tuple):
        return [((r, c), v) for r, row in enumerate(value) for c, v in enumerate(row)]
    return [((r,), v) for r, v in enumerate(value)]


def _group_status(name, gradient, sampler, replayer) -> GroupStatus:
    entries = _entries(gradient)
    nonzero = [(pos, g) for pos, g in entries if g != 0]
    equal = len({g for _, g in entries}) == 1
    if not nonzero:
        return GroupStatus(name, "zero", "every entry is 0 as an expression", equal, None)
    undecided = None
    for position, g in nonzero:
        status, method, found = decide(g, sp.S.Zero, sampler)
        if status == REFUTED:
            point, value, _ = found
            label = f"dL/d{name}[{', '.join(map(str, position))}]"
            return GroupStatus(name, "moves", "nonzero at a rational witness", equal,
                               replayer(label, name, position, point, value))
        if status == UNDECIDED:
            undecided = method
    if undecided is None:
        return GroupStatus(name, "zero", "every entry simplifies to 0", equal, None)
    return GroupStatus(name, "undecided", undecided, equal, None)


def _invariant_statuses(spec, params, sampler, values: dict, step: int) -> tuple[InvariantStatus, ...]:
    """The invariants after ``step`` steps; a failure's witness is replayed from ``values``."""
    statuses = []
    for invariant in symmetry_invariants(spec):
        value = params[invariant.parameter]
        status, witness = "holds", None
        decided = {}
        for position, reference in invariant.pairs(value):
            lhs, rhs = entry(value, position), entry(value, reference)
            if (lhs, rhs) not in decided:
                decided[(lhs, rhs)] = decide(lhs, rhs, sampler)
            result, method, found = decided[(lhs, rhs)]
            if result == REFUTED:
                point, left, right = found
                witness = _replay_difference(spec, values, step, invariant.parameter, position, reference,
                                             point, f"{_show(left)} vs {_show(right)}")
                status = "fails"
                break
            if result == UNDECIDED:
                status = "undecided"
        statuses.append(InvariantStatus(invariant.describe(), status, witness))
    return tuple(statuses)


def _show(value) -> str:
    value = sp.sympify(value)
    return str(value) if value.is_Rational else str(sp.Float(value, 15))


def trace(spec: MLP, init, steps: int = 3, seed: int = 0) -> Trace:
    """Plain gradient descent from ``init`` for ``steps`` steps, decided symbolically."""
    from .patterns import parse_init

    init = parse_init(init, seed) if isinstance(init, str) else init
    values = init.values(spec)
    sgd = get_optimizer("sgd")
    sampler = Sampler(spec, sgd, seed)
    params = {name: tuple(tuple(sp.sympify(v) for v in row) if isinstance(row, tuple) else sp.sympify(row)
                          for row in value) for name, value in values.items()}
    initial = _invariant_statuses(spec, params, sampler, values, 0)
    history = []
    for t in range(1, steps + 1):
        x, y = data_symbols(spec, example=t)
        gradients = backprop(spec, params, x, y).gradients
        replayer = _replayer(spec, values, t)
        groups = tuple(_group_status(name, gradients[name], sampler, replayer) for name in spec.parameter_names)
        params = gradient_step(params, gradients, LEARNING_RATE)
        history.append(TraceStep(t, groups, _invariant_statuses(spec, params, sampler, values, t)))
    dead = prove_dead(spec, sgd, values, seed) if is_dead_start(spec, values) else None
    return Trace(spec, init, initial, tuple(history), dead)


def _replayed(spec: MLP, values: dict, steps: int, point: dict, read):
    """Replay ``steps`` steps of gradient descent at ``point`` in plain Python (exact rationals, or
    60-digit mpmath) and return ``read(domain, params after the last step, its gradients)``.
    Constants of the init that the point leaves out get any value (1/3)."""
    d = replay.domain_for(spec, needs_sqrt=False)
    filled = dict(point)
    for symbol in _free_symbols(values):
        filled.setdefault(symbol.name, Fraction(1, 3))
    with mpmath.workdps(replay.DIGITS):
        params, grads = replay.replay_steps(spec, values, filled, steps, d)
        return read(d, params, grads)


def _nonzero(d, number) -> bool:
    if d.name == "fraction":
        return number != 0
    return bool(mpmath.isfinite(number) and abs(number) > mpmath.mpf(10) ** -40)  # NaN/inf confirm nothing


def _shown(d, number) -> str:
    return str(number) if d.name == "fraction" else mpmath.nstr(number, 15)


def _replayer(spec: MLP, values: dict, step: int):
    """Re-compute a gradient entry at a witness: replay steps 1..step-1 in plain Python."""
    def replay_witness(label, name, position, point, value) -> Witness:
        def read(d, _, grads):
            got = entry(grads[name], position)
            return Witness(label, point, _show(value), _shown(d, got), _nonzero(d, got))

        return _replayed(spec, values, step, point, read)

    return replay_witness


def _replay_difference(spec: MLP, values: dict, step: int, parameter: str, position, reference, point,
                       value: str) -> Witness:
    """Re-compute two entries of ``parameter`` after ``step`` steps at a witness: do they differ?"""
    def read(d, params, _):
        a, b = entry(params[parameter], position), entry(params[parameter], reference)
        return Witness(label, point, value, f"{_shown(d, a)} vs {_shown(d, b)}", _nonzero(d, a - b))

    label = (f"{parameter}[{', '.join(map(str, position))}] vs "
             f"{parameter}[{', '.join(map(str, reference))}]")
    return _replayed(spec, values, step, point, read)


def _free_symbols(values: dict) -> set:
    return dag_free_symbols(*(v for value in values.values() for _, v in _entries(value)))

