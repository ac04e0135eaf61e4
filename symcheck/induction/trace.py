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
- an **invariant holds** after step t when each of its identities is proved;
  it fails when a rational witness separates the entries.

Every one of these questions is a conjunction of identities ("entry = 0",
"entry = reference entry") decided by the one decider (``exact.decide.decide_all``).

Parameters after step 1 are expressions in x^1, y^1 and eta. Later steps would
nest them, so after each step every entry that is not a number is named by a
symbol standing for its one-step expression (``_abbreviated``): step t is one
step deep in the symbols of step t-1, and witnesses are searched at the data
with those symbols computed from it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

import mpmath
import sympy as sp

from .. import budget
from ..oracle import replay
from .analysis import is_dead_start, prove_dead
from ..exact.decide import decide_all, show_value
from ..exact.evaluation import dag_free_symbols
from ..exact.sampling import Sampler
from ..exact.verdict import PROVED, REFUTED, UNDECIDED
from ..symbolic.backprop import backprop, data_symbols
from ..model.optimizer_symbols import LEARNING_RATE
from ..model.optimizers import get_optimizer, gradient_step
from ..model.sentence import Relation, Sentence
from ..model.spec import MLP
from ..display import LatexDisplay
from .invariants import Invariant, entry, invariant_identities
from ..initialization.patterns import parse_init

MAX_STEPS = 6
#: witnesses and their replays are shown to this many significant digits (exact rationals as they are)
SHOWN_DIGITS = 15
_STEP = sp.Symbol("t", integer=True, nonnegative=True)
DATA_NOTE = Sentence(("each step ", _STEP, " uses its own symbolic example ",
                      sp.Tuple(sp.Symbol("x^t"), sp.Symbol("y^t")), " and the learning rate is a symbol ",
                      Relation(LEARNING_RATE, ">", 0),
                      ": every statement holds for every data sequence and every learning rate"))


@dataclass(frozen=True)
class Witness:
    """Values at which an expression is nonzero (or two entries differ), with its replay."""

    entry: str
    point: dict  # symbol name -> Fraction
    value: str
    recheck: str  # the replayed value, or "" when not replayed
    rechecked: bool
    #: what ``entry`` says, as values the printers use: (group, position) of the entry, or of the two
    #: entries compared; ``gradient``: the entry of dL/d(group) rather than of the group
    entries: tuple[tuple[str, tuple[int, ...]], ...] = ()
    gradient: bool = False


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
    invariant: Invariant | None = None  # what ``description`` says, for the printers


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
class Trace(LatexDisplay):
    spec: MLP
    init: object
    initial_invariants: tuple[InvariantStatus, ...]
    steps: tuple[TraceStep, ...]
    dead: object  # analysis.Claim or None
    data_note: Sentence = DATA_NOTE


def _entries(value):
    if value and isinstance(value[0], tuple):
        return [((r, c), v) for r, row in enumerate(value) for c, v in enumerate(row)]
    return [((r,), v) for r, v in enumerate(value)]


def _group_status(name, gradient, sampler, replayer, derived: dict) -> GroupStatus:
    entries = _entries(gradient)
    nonzero = [(pos, g) for pos, g in entries if g != 0]
    equal = len({g for _, g in entries}) == 1
    if not nonzero:
        return GroupStatus(name, "zero", "every entry is 0 as an expression", equal, None)
    decisions = decide_all([(g, sp.S.Zero) for _, g in nonzero], sampler, derived)
    last = decisions[-1]
    if last.status == REFUTED:
        position = nonzero[len(decisions) - 1][0]
        label = f"dL/d{name}[{', '.join(map(str, position))}]"
        return GroupStatus(name, "moves", "nonzero at a rational witness", equal,
                           replayer(label, name, position, last.point, last.lhs_value))
    undecided = [d.method for d in decisions if d.status != PROVED]
    if not undecided:
        return GroupStatus(name, "zero", "every entry simplifies to 0", equal, None)
    return GroupStatus(name, UNDECIDED, undecided[-1], equal, None)


def _invariant_statuses(spec, params, sampler, values: dict, step: int,
                        derived: dict) -> tuple[InvariantStatus, ...]:
    """The invariants after ``step`` steps; a failure's witness is replayed from ``values``.

    As for movement, every pair is searched for a witness first; only an invariant none of
    whose pairs is separated goes on to the (expensive) proof of each identity."""
    statuses = []
    for invariant, identities in invariant_identities(spec).items():
        value = params[invariant.parameter]
        pairs = {}  # tied entries repeat: each distinct (lhs, rhs) once, with its first positions
        for position, reference in ((i.position, i.reference) for i in identities):
            pairs.setdefault((entry(value, position), entry(value, reference)), (position, reference))
        decisions = decide_all(list(pairs), sampler, derived)
        last, witness = decisions[-1] if decisions else None, None
        if last is not None and last.status == REFUTED:
            position, reference = list(pairs.values())[len(decisions) - 1]
            witness = _replay_difference(spec, values, step, invariant.parameter, position, reference, last.point,
                                         f"{show_value(last.lhs_value, SHOWN_DIGITS)} vs {show_value(last.rhs_value, SHOWN_DIGITS)}")
            status = "fails"
        else:
            status = "holds" if all(d.status == PROVED for d in decisions) else UNDECIDED
        statuses.append(InvariantStatus(invariant.describe(), status, witness, invariant))
    return tuple(statuses)


def trace(spec: MLP, init, steps: int = 3, seed: int = 0) -> Trace:
    """Plain gradient descent from ``init`` for ``steps`` steps, decided symbolically."""
    init = parse_init(init, seed) if isinstance(init, str) else init
    values = init.values(spec)
    sgd = get_optimizer("sgd")
    sampler = Sampler(spec, sgd, seed)
    params = {name: tuple(tuple(sp.sympify(v) for v in row) if isinstance(row, tuple) else sp.sympify(row)
                          for row in value) for name, value in values.items()}
    derived: dict = {}  # symbol -> the expression it stands for (see _abbreviated)
    initial = _invariant_statuses(spec, params, sampler, values, 0, derived)
    history = []
    for t in range(1, steps + 1):
        budget.phase(f"trace step {t}/{steps} of MLP {budget.brief(spec.name)}")
        x, y = data_symbols(spec, example=t)
        gradients = backprop(spec, params, x, y).gradients
        replayer = _replayer(spec, values, t)
        groups = tuple(_group_status(name, gradients[name], sampler, replayer, derived)
                       for name in spec.parameter_names)
        stepped = gradient_step(params, gradients, LEARNING_RATE)
        history.append(TraceStep(t, groups, _invariant_statuses(spec, stepped, sampler, values, t, derived)))
        params = _abbreviated(stepped, derived, t)
    dead = prove_dead(spec, sgd, values, seed) if is_dead_start(spec, values) else None
    return Trace(spec, init, initial, tuple(history), dead)


def _abbreviated(params: dict, derived: dict, step: int) -> dict:
    """The parameters after ``step`` with every entry that is not a number or a symbol replaced
    by a symbol standing for it (recorded in ``derived``); identical entries share one symbol.

    Without this, step t's expressions nest steps 1..t: their trees grow exponentially with
    t and SymPy's assumption queries walk them. With it, each step is one step deep in the
    symbols of the previous one, and what is decided stays sound: an entry that is 0 (or
    two entries that are identical) as functions of free symbols are so at the values the
    symbols stand for; witnesses are searched at the data only, computing the symbols."""
    by_definition = {definition: symbol for symbol, definition in derived.items()}

    def name_entry(name, position, value):
        if value.is_Number or value.is_Symbol:
            return value
        if value not in by_definition:
            symbol = sp.Symbol(f"{name}@{step}_{'_'.join(map(str, position))}", real=True)
            derived[symbol], by_definition[value] = value, symbol
        return by_definition[value]

    named = {}
    for name, value in params.items():
        if value and isinstance(value[0], tuple):
            named[name] = tuple(tuple(name_entry(name, (r, c), v) for c, v in enumerate(row))
                                for r, row in enumerate(value))
        else:
            named[name] = tuple(name_entry(name, (r,), v) for r, v in enumerate(value))
    return named


def _replayed(spec: MLP, values: dict, steps: int, point: dict, read, label: str, value: str) -> Witness:
    """Replay ``steps`` steps of gradient descent at ``point`` in plain Python (exact rationals, or
    60-digit mpmath) and return ``read(domain, params after the last step, its gradients)``.
    Constants of the init that the point leaves out get any value (1/3). A replay that meets a
    value that is not a finite real number confirms nothing."""
    d = replay.domain_for(spec, needs_sqrt=False)
    filled = dict(point)
    for symbol in _free_symbols(values):
        filled.setdefault(symbol.name, Fraction(1, 3))
    try:
        with mpmath.workdps(replay.DIGITS):
            params, grads = replay.replay_steps(spec, values, filled, steps, d)
            return read(d, params, grads)
    except ArithmeticError as error:
        return Witness(label, point, value, f"not replayable ({error})", False)


def _replayer(spec: MLP, values: dict, step: int):
    """Re-compute a gradient entry at a witness: replay steps 1..step-1 in plain Python."""
    def replay_witness(label, name, position, point, value) -> Witness:
        def read(d, _, grads):
            got = entry(grads[name], position)
            return Witness(label, point, show_value(value, SHOWN_DIGITS), show_value(got, SHOWN_DIGITS), replay.values_differ(got, 0, d))

        witness = _replayed(spec, values, step, point, read, label, show_value(value, SHOWN_DIGITS))
        return replace(witness, entries=((name, tuple(position)),), gradient=True)

    return replay_witness


def _replay_difference(spec: MLP, values: dict, step: int, parameter: str, position, reference, point,
                       value: str) -> Witness:
    """Re-compute two entries of ``parameter`` after ``step`` steps at a witness: do they differ?"""
    def read(d, params, _):
        a, b = entry(params[parameter], position), entry(params[parameter], reference)
        return Witness(label, point, value, f"{show_value(a, SHOWN_DIGITS)} vs {show_value(b, SHOWN_DIGITS)}",
                       replay.values_differ(a, b, d))

    label = (f"{parameter}[{', '.join(map(str, position))}] vs "
             f"{parameter}[{', '.join(map(str, reference))}]")
    witness = _replayed(spec, values, step, point, read, label, value)
    return replace(witness, entries=((parameter, tuple(position)), (parameter, tuple(reference))))


def _free_symbols(values: dict) -> set:
    return dag_free_symbols(*(v for value in values.values() for _, v in _entries(value)))

