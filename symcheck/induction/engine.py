"""The inductive step for a linear subspace of parameters (and optimizer state):
from a generic point of the subspace, does one update land in it again?

A subspace is described by a generic point (every free entry a symbol) and a
list of identities ``group[position] = group[reference]`` (or ``= 0``). The
update is the optimizer's rule with symbolic data and hyperparameters; every
identity is decided exactly:

1. syntactic identity of the canonical SymPy trees (a proof);
2. a counterexample search at rational points that respect each symbol's
   meaning (learning rates positive, momentum and betas in (0, 1), second
   moments non-negative, targets in the loss's range), evaluated on the expression DAG;
3. normal forms (``expand``, ``cancel``, bounded ``simplify``),

all by the one decider, ``exact.decide.decide_equal``.

A refuted identity yields a counterexample at an exact rational point, which
``replay`` re-computes independently (exact fractions where the network is
rational, 60-digit mpmath otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import NamedTuple

import mpmath
import sympy as sp

from .. import budget
from ..oracle import replay
from ..symbolic.backprop import backprop, data_symbols
from ..exact.decide import decide_equal
from ..exact.identities import Decided
from ..exact.sampling import Sampler
from ..exact.verdict import PROVED, REFUTED, UNDECIDED
from ..model.optimizers import Ops, Optimizer, step, summed_gradient
from ..model.spec import MLP
from .invariants import entry
from ..exact.verdict import combine



class Identity(NamedTuple):
    """``group[position] = group[reference]``, or ``group[position] = 0`` when reference is None."""

    group: str  # "W1", or "m:W1" for optimizer state m of W1
    layer: int
    property: str  # rows | columns | entries (twins), zero (dead network), weights (K = 0),
    # row sums | column sums (equitable partitions: position and reference are tuples of entries)
    position: tuple[int, ...]
    reference: tuple[int, ...] | None


@dataclass(frozen=True)
class GroupCheck:
    """All identities of one (group, layer, property), decided."""

    group: str
    layer: int
    property: str
    status: str
    identities: int
    methods: tuple[tuple[str, int], ...]
    #: every identity with its SymPy sides, for independent kernels (``symcheck.kernels``)
    decided: tuple[Decided, ...] = field(default=(), repr=False, compare=False)
    #: what independent kernels said about them (empty unless one was asked)
    kernels: tuple = ()

    def describe(self) -> str:
        if self.property == "zero":
            return f"{self.group} stays 0"
        if self.property == "weights":
            return f"{self.group}: the compared weights stay equal"
        if self.property in ("row sums", "column sums", "class biases"):
            noun = "biases" if self.property == "class biases" else self.property
            return f"{self.group}: units of one class of layer {self.layer} keep equal {noun}"
        noun = {"rows": "incoming rows", "columns": "outgoing columns", "entries": "biases"}[self.property]
        return f"{self.group}: twins of layer {self.layer} keep equal {noun}"


@dataclass(frozen=True)
class Counterexample:
    """Two entries that a claim says are equal (or zero) differ after one update."""

    identity: Identity
    value: str  # the entry after the update (50-digit evaluation, or exact)
    reference_value: str
    point: dict  # symbol name -> Fraction: the exact rational point
    recheck_domain: str
    recheck_value: str
    recheck_reference_value: str
    rechecked: bool

    def entries(self) -> tuple[str, str]:
        """The two entries compared, e.g. ("W1[1, 0]", "W1[0, 0]"); the second may be "0"."""
        group, position, reference = self.identity.group, self.identity.position, self.identity.reference
        def show(where):
            if where and isinstance(where[0], tuple):
                return " + ".join(f"{group}[{', '.join(map(str, p))}]" for p in where)
            return f"{group}[{', '.join(map(str, where))}]"
        return show(position), "0" if reference is None else show(reference)


@dataclass(frozen=True)
class StepResult:
    verdict: str
    checks: tuple[GroupCheck, ...]
    counterexample: Counterexample | None
    concrete: bool  # decided at one rational point only (no symbolic proof possible)
    #: (new params, new state) of the update the identities were decided on: callers that need
    #: more of it (the output bias of a dead network, another claim on the same update) reuse it
    update: tuple = field(default=(), repr=False, compare=False)


@dataclass
class Problem:
    """Everything one update needs: the generic point, state, hyperparameters, data."""

    spec: MLP
    optimizer: Optimizer
    params: dict
    state: dict
    hyper: dict
    examples: list  # [(x, y), ...] of symbol tuples

    def run(self):
        """The symbolic update: (new params, new state)."""
        gradient = summed_gradient(lambda p, x, y: backprop(self.spec, p, x, y).gradients,
                                   self.examples, lambda gs: sp.Add(*gs))
        return step(self.optimizer, self.spec, self.params, self.state, self.hyper, gradient)


def make_problem(spec: MLP, optimizer: Optimizer, params: dict, state: dict) -> Problem:
    count = optimizer.examples
    examples = [data_symbols(spec, e if count > 1 else None) for e in range(count)]
    return Problem(spec, optimizer, params, state, optimizer.hyper_symbols(spec), examples)


def side(value, position, total=sum):
    """One side of an identity: an entry, or the sum of several entries (a block sum of an
    equitable partition) when ``position`` is a tuple of index tuples."""
    if position and isinstance(position[0], tuple):
        return total([entry(value, p) for p in position])
    return entry(value, position)


def lookup(params: dict, state: dict, group: str):
    if ":" in group:
        name, parameter = group.split(":")
        return state[name][parameter]
    return params[group]


def check_identities(identities, new_params, new_state, sampler, concrete=False, exhaustive=False):
    """Decide every identity; stop at the first refuted one unless ``exhaustive``.
    Returns (checks, first failure)."""
    groups: dict = {}
    failure = None
    decided: dict = {}  # tied entries repeat: each distinct (lhs, rhs) is decided once
    for identity in identities:
        budget.check()
        value = lookup(new_params, new_state, identity.group)
        lhs = side(value, identity.position, lambda terms: sp.Add(*terms))
        rhs = sp.S.Zero if identity.reference is None else side(value, identity.reference, lambda terms: sp.Add(*terms))
        if (lhs, rhs) not in decided:
            decided[(lhs, rhs)] = decide_equal(lhs, rhs, sampler, concrete=concrete)
        decision = decided[(lhs, rhs)]
        status, method, witness = decision.status, decision.method, decision.witness
        key = (identity.group, identity.layer, identity.property)
        record = groups.setdefault(key, {"statuses": [], "methods": {}, "decided": []})
        record["statuses"].append(status)
        record["decided"].append(Decided(identity.position, identity.reference, lhs, rhs, decision))
        record["methods"][method] = record["methods"].get(method, 0) + 1
        if status == REFUTED and failure is None:
            failure = (identity, witness)
            if not exhaustive:
                break
    checks = tuple(
        GroupCheck(group, layer, prop, combine(*rec["statuses"]), len(rec["statuses"]),
                   tuple(sorted(rec["methods"].items())), tuple(rec["decided"]))
        for (group, layer, prop), rec in groups.items()
    )
    return checks, failure


# ------------------------------------------------------------------ the step

def prove_step(problem: Problem, identities, seed: int = 0, concrete_values: dict | None = None,
               exhaustive: bool = False, update: tuple | None = None) -> StepResult:
    """One update from the generic point of ``problem``; decide ``identities`` on the result.

    With ``concrete_values`` (symbol name -> Fraction) the point is fixed first
    and evaluated with 80-digit floats: used where the symbolic update is too
    large (Gauss-Seidel on wide layers); then nothing can be *proved*.
    ``update``: the ``StepResult.update`` of an earlier call on the same problem
    and point, so the update is not run again."""
    sampler = Sampler(problem.spec, problem.optimizer, seed)
    if update is None:
        run_problem = problem if concrete_values is None else _instantiate(problem, concrete_values)
        update = run_problem.run()
    new_params, new_state = update
    checks, failure = check_identities(identities, new_params, new_state, sampler,
                                       concrete=concrete_values is not None, exhaustive=exhaustive)
    verdict = combine(*(c.status for c in checks))
    if concrete_values is not None and verdict == PROVED:
        verdict = UNDECIDED
    counterexample = None
    if failure is not None:
        identity, (point, left, right) = failure
        full = dict(concrete_values or {})
        full.update(point)
        counterexample = recheck(problem, identity, full, left, right, seed)
        if not counterexample.rechecked:
            verdict = UNDECIDED  # the two routes disagree: claim nothing
    return StepResult(verdict, checks, counterexample, concrete_values is not None, update)


def _all_symbols(problem: Problem) -> set:
    found = set()

    def walk(value):
        if isinstance(value, (tuple, list)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, sp.Basic):
            found.update(value.free_symbols)

    walk([problem.params, problem.state, problem.hyper, problem.examples])
    return found


def _instantiate(problem: Problem, values: dict) -> Problem:
    """The problem at a fixed point, entries as 80-digit SymPy floats (no expression growth)."""
    mapping = {s: sp.Float(sp.Rational(values[s.name].numerator, values[s.name].denominator), 80)
               for s in _all_symbols(problem)}

    def sub(value):
        if isinstance(value, tuple):
            return tuple(sub(v) for v in value)
        if isinstance(value, list):
            return [sub(v) for v in value]
        if isinstance(value, dict):
            return {k: sub(v) for k, v in value.items()}
        return value.xreplace(mapping) if isinstance(value, sp.Basic) else value

    return Problem(problem.spec, problem.optimizer, sub(problem.params), sub(problem.state),
                   sub(problem.hyper), sub(problem.examples))


def concrete_point(problem: Problem, seed: int = 0) -> dict:
    return Sampler(problem.spec, problem.optimizer, seed + 1).point(_all_symbols(problem))


def recheck(problem: Problem, identity: Identity, point: dict, left, right, seed: int = 0) -> Counterexample:
    """Replay the update at ``point`` in plain Python numbers and compare the two entries."""
    d = replay.domain_for(problem.spec, problem.optimizer.needs_sqrt)
    values = concrete_point(problem, seed)
    values.update(point)
    kept = {name: values[name] for name in sorted(point)}
    try:
        shown, differ = _replay_update(problem, identity, values, d)
    except ArithmeticError as error:  # a value that is not a finite real number: nothing confirmed
        shown, differ = (f"not replayable ({error})", ""), False
    return Counterexample(identity, _show_sympy(left), _show_sympy(right), kept, d.describe(),
                          shown[0], shown[1], bool(differ))


def _replay_update(problem: Problem, identity: Identity, values: dict, d) -> tuple[tuple[str, str], bool]:
    """The two entries of ``identity`` after one replayed update, shown, and whether they differ."""
    with mpmath.workdps(replay.DIGITS):
        params = replay.convert(problem.params, values, d)
        state = replay.convert(problem.state, values, d)
        hyper = _convert_hyper(problem.hyper, values, d)
        examples = [(replay.convert(x, values, d), replay.convert(y, values, d)) for x, y in problem.examples]
        gradient = summed_gradient(lambda p, x, y: replay.gradients(problem.spec, p, x, y, d),
                                   examples, sum)
        ops = Ops(d.sqrt, max, d.number)
        new_params, new_state = step(problem.optimizer, problem.spec, params, state, hyper, gradient, ops)
        value = lookup(new_params, new_state, identity.group)
        a = side(value, identity.position)
        b = d.number(Fraction(0)) if identity.reference is None else side(value, identity.reference)
        # 60 digits: a difference counts only far above rounding, relative to the entries (a large
        # entry rounds at a large absolute size); NaN or inf confirms nothing
        differ = a != b if d.name == "fraction" else (
            mpmath.isfinite(a) and mpmath.isfinite(b)
            and abs(a - b) > mpmath.mpf(10) ** -40 * max(1, abs(a), abs(b)))
        return (_show(a, d), _show(b, d)), differ


def _convert_hyper(hyper: dict, values: dict, d):
    out = {}
    for name, value in hyper.items():
        if isinstance(value, dict):
            out[name] = {key: replay.convert(item, values, d) for key, item in value.items()}
        else:
            out[name] = replay.convert(value, values, d)
    return out


def _show(value, d) -> str:
    if d.name == "fraction":
        return str(value)
    return mpmath.nstr(value, 20)


def _show_sympy(value) -> str:
    if isinstance(value, mpmath.mpf):
        return mpmath.nstr(value, 20)
    value = sp.sympify(value)
    if value.is_Rational:
        return str(value)
    return str(sp.Float(value, 20))
