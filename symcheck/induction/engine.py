"""The one induction every claim is an instance of: is a subspace of parameters (and
optimizer state) closed under one update, and do the initial values lie in it?

``prove_invariance`` takes a ``subspace.Subspace`` (a generic point, every free entry a
symbol, and the identities ``group[position] = group[reference]`` or ``= 0`` that define
it), an update rule of ``model.optimizers`` and, for the base case, the initial values.
Base case: each identity on the initial values, decided exactly (``exact.identities``:
numbers compared exactly, symbolic constants by the decider). Inductive step: the rule's
update from the generic point with symbolic data and hyperparameters, every identity decided
by the decider (``exact.decide``: syntactic identity, a counterexample search at rational
points that respect each symbol's meaning, bounded normal forms).

Either way the result is one ``Induction`` (the base case and the inductive step as
``GroupCheck``s, one per group of identities, the verdict, the first counterexample) with one
``Counterexample`` type; every claim reports it (the symmetry theorem names its groups by the
theorem's invariants, ``GroupCheck.invariant``). A refuted identity is replayed independently: initial values as
Python fractions (or SymPy's own arithmetic for symbolic constants), a step by ``oracle.replay``
(exact fractions where the network is rational, 60-digit mpmath otherwise); the evidence
policy (``evidence.released``) withholds a refutation whose replay failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import mpmath
import sympy as sp

from .. import budget
from ..oracle import replay
from ..symbolic.backprop import backprop, data_symbols
from ..exact.decide import decide_equal, show_value
from ..exact.recheck import RECHECK_DIGITS
from ..exact.identities import Decided, as_fraction
from ..exact.sampling import Sampler
from ..exact.verdict import PROVED, REFUTED, UNDECIDED
from ..model.optimizer_symbols import SYMPY_OPS, hyper_symbols
from ..model.optimizers import Ops, Optimizer, get_optimizer, step, summed_gradient
from ..model.spec import MLP
from ..exact.verdict import combine
from .evidence import released
from .invariants import entry
from .subspace import Identity, Subspace



@dataclass(frozen=True)
class GroupCheck:
    """All identities of one (group, layer, property), decided: the one check type of every
    claim, at the base case as at the inductive step."""

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
    #: the claim's name for the group when it has one (``invariants.Invariant`` of the symmetry
    #: theorem, "W1: all rows equal"); otherwise ``describe`` says what the identities compare
    invariant: object = None

    @property
    def failure(self) -> Decided | None:
        """The first identity that was not proved (refuted, or undecided), if any."""
        return next((d for d in self.decided if d.status != PROVED), None)

    def describe(self) -> str:
        if self.invariant is not None:
            return self.invariant.describe()
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
    """Two entries that a claim says are equal (or zero) differ: in the initial values
    (``stage`` "base") or after one update from a point of the subspace ("step"), with the
    independent replay that confirmed it (or did not)."""

    identity: Identity
    stage: str  # "base" (at t = 0) or "step" (after one update)
    value: object  # the entry (exact, or its 50-digit evaluation as text)
    reference_value: object
    point: dict  # symbol name -> exact rational: where the step was taken, or the symbolic init's constants
    recheck_domain: str  # how the replay computed, e.g. "exact rational arithmetic (Python fractions)"
    recheck_value: str
    recheck_reference_value: str
    rechecked: bool
    #: the claim's name for the identity's group (``invariants.Invariant``), when it has one
    invariant: object = None

    @property
    def position(self) -> tuple:
        return self.identity.position

    @property
    def reference(self) -> tuple | None:
        return self.identity.reference

    @property
    def recheck(self) -> str:
        """The replay in words."""
        if self.stage == "base":
            return self.recheck_domain
        return f"replayed in {self.recheck_domain}: {self.recheck_value} vs {self.recheck_reference_value}"

    def entries(self) -> tuple[str, str]:
        """The two entries compared, e.g. ("W1[1, 0]", "W1[0, 0]"); the second may be "0"."""
        group, position, reference = self.identity.group, self.identity.position, self.identity.reference
        def show(where):
            if where and isinstance(where[0], tuple):
                return " + ".join(f"{group}[{', '.join(map(str, p))}]" for p in where)
            return f"{group}[{', '.join(map(str, where))}]"
        return show(position), "0" if reference is None else show(reference)


@dataclass(frozen=True)
class Induction:
    """What ``prove_invariance`` found: the base case (when initial values were given), the
    inductive step, the combined verdict, and the first counterexample with its replay."""

    verdict: str
    checks: tuple[GroupCheck, ...]  # the inductive step, per (group, layer, property)
    counterexample: Counterexample | None
    concrete: bool  # decided at one rational point only (no symbolic proof possible)
    #: (new params, new state) of the update the identities were decided on: callers that need
    #: more of it (the output bias of a dead network, another claim on the same update) reuse it
    update: tuple = field(default=(), repr=False, compare=False)
    #: the base case: the identities on the initial values, per (group, layer, property)
    base: tuple[GroupCheck, ...] = ()


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
        return step(self.optimizer, self.spec, self.params, self.state, self.hyper, gradient, SYMPY_OPS)


def make_problem(spec: MLP, optimizer: Optimizer, params: dict, state: dict) -> Problem:
    count = optimizer.examples
    examples = [data_symbols(spec, e if count > 1 else None) for e in range(count)]
    return Problem(spec, optimizer, params, state, hyper_symbols(optimizer, spec), examples)


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
    Returns (checks, first failure: (identity, witness) or None)."""
    checks, failure = _decide_groups(
        identities, lambda group: lookup(new_params, new_state, group),
        lambda lhs, rhs: decide_equal(lhs, rhs, sampler, concrete=concrete),
        stop=NEVER if exhaustive else AT_FIRST)
    return checks, None if failure is None else (failure[0], failure[3].witness)


#: Where ``_decide_groups`` stops deciding: at the first refuted identity, at each group's first
#: (the base case: the other groups still get their verdicts), or never (every identity decided).
AT_FIRST, PER_GROUP, NEVER = "at first", "per group", "never"


def _decide_groups(identities, value_of, decide, stop: str):
    """Each identity decided on ``value_of(identity.group)`` by ``decide(lhs, rhs)`` (each
    distinct pair once: tied entries repeat), gathered per invariant group, stopping as ``stop``
    says. Returns (the groups' checks, (identity, lhs, rhs, decision) of the first refuted
    identity or None)."""
    groups: dict = {}
    failure = None
    refuted: set = set()  # groups that already stopped (PER_GROUP)
    decisions: dict = {}
    for identity in identities:
        budget.check()
        key = (identity.group, identity.layer, identity.property)
        record = groups.setdefault(key, {"statuses": [], "methods": {}, "decided": []})
        if key in refuted:
            continue
        value = value_of(identity.group)
        lhs = side(value, identity.position, lambda terms: sp.Add(*terms))
        rhs = sp.S.Zero if identity.reference is None else side(value, identity.reference,
                                                                  lambda terms: sp.Add(*terms))
        if (lhs, rhs) not in decisions:
            decisions[(lhs, rhs)] = decide(lhs, rhs)
        decision = decisions[(lhs, rhs)]
        record["statuses"].append(decision.status)
        record["decided"].append(Decided(identity.position, identity.reference, lhs, rhs, decision))
        record["methods"][decision.method] = record["methods"].get(decision.method, 0) + 1
        if decision.status == REFUTED:
            if stop == PER_GROUP:
                refuted.add(key)
            if failure is None:
                failure = (identity, lhs, rhs, decision)
                if stop == AT_FIRST:
                    break
    checks = tuple(
        GroupCheck(group, layer, prop, combine(*rec["statuses"]), len(rec["statuses"]),
                   tuple(sorted(rec["methods"].items())), tuple(rec["decided"]))
        for (group, layer, prop), rec in groups.items()
    )
    return checks, failure


# --------------------------------------------------------- base case and step

#: Gauss-Seidel sweeps recompute the gradient once per unit (hidden and output)
#: on ever larger expressions; above this many units the sweep is evaluated at
#: one rational point (enough to refute, never to prove). 3 keeps seed 002's
#: 2-2-1 question fully symbolic.
GAUSS_SEIDEL_SYMBOLIC_UNITS = 3
CONCRETE_ATTEMPTS = 4



def prove_invariance(subspace: Subspace, optimizer: Optimizer | str, seed: int = 0, *, start: dict | None = None,
                     state: dict | None = None, with_state: bool = True, exhaustive: bool = False,
                     concrete_values: dict | None = None, update: tuple | None = None) -> Induction:
    """Is ``subspace`` (optimizer state in it too) closed under one update of ``optimizer``, and
    do the initial values ``start`` lie in it? The one induction every claim is an instance of.

    Base case (``start`` given): each identity of the subspace on the initial values, decided
    exactly (symbolic constants such as w_i by the decider); each group stops at its first
    refuted identity. Inductive step: one update from the generic point, symbolic data and
    hyperparameters; every identity (``with_state``: on the state tensors too) decided exactly;
    stops at the first refuted one unless ``exhaustive``.

    ``state``: the optimizer state to start from, when it is not the subspace's own generic
    point (a fresh state at given values). With ``concrete_values`` (symbol name -> Fraction)
    the point is fixed first and evaluated with 80-digit floats: used where the symbolic update
    is too large (Gauss-Seidel on wide layers); then nothing can be *proved*. ``update``: the
    ``Induction.update`` of an earlier call on the same point, so the update is not run again.

    A counterexample is replayed independently (``replay_base``, ``recheck``); the evidence
    policy (``evidence.released``) withholds a refutation whose replay failed."""
    optimizer = get_optimizer(optimizer)  # a name, or a misspelt one: one-line InvalidSpec
    problem = make_problem(subspace.spec, optimizer, subspace.parameters,
                           subspace.state(optimizer) if state is None else state)
    identities = subspace.identities_with_state(optimizer) if with_state else subspace.identities
    base, base_failure = ((), None) if start is None else check_base(subspace.identities, start, seed)
    sampler = Sampler(problem.spec, problem.optimizer, seed)
    if update is None:
        run_problem = problem if concrete_values is None else _instantiate(problem, concrete_values)
        update = run_problem.run()
    new_params, new_state = update
    checks, failure = check_identities(identities, new_params, new_state, sampler,
                                       concrete=concrete_values is not None, exhaustive=exhaustive)
    step_verdict = combine(*(c.status for c in checks))
    if concrete_values is not None and step_verdict == PROVED:
        step_verdict = UNDECIDED
    counterexample = None
    if base_failure is not None:  # a failing initial value is reported first
        counterexample = replay_base(*base_failure)
    elif failure is not None:
        identity, (point, left, right) = failure
        full = dict(concrete_values or {})
        full.update(point)
        counterexample = recheck(problem, identity, full, left, right, seed)
    verdict = released(combine(*(c.status for c in base), step_verdict), counterexample)
    return Induction(verdict, checks, counterexample, concrete_values is not None, update, base)


def prove_tie_persists(subspace: Subspace, optimizer: Optimizer, seed: int = 0, *, start: dict | None = None,
                       exhaustive: bool = False) -> Induction:
    """``prove_invariance`` for the tie of a partition (twins, the constant-init theorem). A
    Gauss-Seidel sweep on more than ``GAUSS_SEIDEL_SYMBOLIC_UNITS`` units is evaluated at a few
    rational points instead: enough to refute, never to prove."""
    spec = subspace.spec
    if optimizer.name != "gauss_seidel" or sum(spec.widths[1:]) <= GAUSS_SEIDEL_SYMBOLIC_UNITS:
        return prove_invariance(subspace, optimizer, seed, start=start, exhaustive=exhaustive)
    problem = make_problem(spec, optimizer, subspace.parameters, subspace.state(optimizer))
    for attempt in range(CONCRETE_ATTEMPTS):  # a saturated point can hide the separation: try a few
        result = prove_invariance(subspace, optimizer, seed, start=start, exhaustive=exhaustive,
                                  concrete_values=concrete_point(problem, seed + attempt))
        if result.verdict == REFUTED:
            break
    return result


def check_base(identities, start: dict, seed: int = 0):
    """Each identity on the initial values, decided exactly; a group stops at its first
    refuted identity. Returns (checks, (identity, lhs, rhs, decision) of the first refuted one,
    or None), the second for ``replay_base``."""
    return _decide_groups(identities, start.__getitem__,
                          lambda lhs, rhs: decide_equal(lhs, rhs, Sampler(seed=seed)), stop=PER_GROUP)


def replay_base(identity: Identity, lhs, rhs, decision) -> Counterexample:
    """Numeric initial values are compared as Python Fractions. Symbolic ones were refuted by the
    decider only once SymPy's own arithmetic confirmed the witness (``exact.recheck``, a route apart
    from the DAG evaluator that found it): that confirmation is the replay, not computed again."""
    try:
        rechecked = as_fraction(lhs) != as_fraction(rhs)
        how = "compared as exact Python fractions"
    except TypeError:
        rechecked = decision.status == REFUTED
        how = f"evaluated at the witness point by SymPy ({RECHECK_DIGITS} digits where not rational)"
    return Counterexample(identity, "base", lhs, rhs, decision.point, how, "", "", bool(rechecked))


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
    return Counterexample(identity, "step", show_value(left), show_value(right), kept, d.describe(),
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
        return (show_value(a), show_value(b)), replay.values_differ(a, b, d)


def _convert_hyper(hyper: dict, values: dict, d):
    out = {}
    for name, value in hyper.items():
        if isinstance(value, dict):
            out[name] = {key: replay.convert(item, values, d) for key, item in value.items()}
        else:
            out[name] = replay.convert(value, values, d)
    return out
