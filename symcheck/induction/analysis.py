"""``analyze``: for any initialization and optimizer, which hidden units are
twins, how wide each layer effectively is, and a proof (or an exact
counterexample) that training keeps the twins tied.

Three claims, each an instance of the one induction (``engine.prove_invariance``: base case
on the initial values, inductive step from a generic point of a ``subspace.Subspace``):

- **twins persist**: the tied subspace S_P of the init's twin partition P
  (``twins``), with optimizer state tied the same way, is closed under one update;
- **dead network**: with sigma(0) = 0 and W = 0, b_1..b_K = 0 the set
  {every W_i = 0, b_1..b_K = 0} (optimizer state likewise) is closed under one
  update, so only the output bias ever moves -- and it does move;
- **no hidden layer (K = 0)**: the claim "the weights stay equal" for linear,
  logistic or softmax regression started at one constant is refuted after one
  step, so zero or constant init is fine there.

Every verdict goes through the evidence policy (``evidence``): float training from the
actual init (``training``) must not contradict it; every counterexample is replayed
independently (``replay``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import sympy as sp

from .. import budget
from ..oracle import tolerances
from ..oracle.numeric import largest_entry
from ..oracle.ties import NOT_KEPT, class_gap, tie_level
from ..model.activations import get_activation
from ..exact.verdict import PROVED, REFUTED, UNDECIDED, Status
from ..model.optimizers import Optimizer, get_optimizer
from ..model.spec import MLP
from ..exact.decide import decide_equal, show_value
from ..exact.sampling import Sampler
from .engine import Induction, prove_invariance, prove_tie_persists
from ..oracle.training import train
from .evidence import contradicted_by_training
from ..symbolic.crosscheck import hyper_draw
from .invariants import entry
from ..exact.verdict import combine
from ..functional.equitable import all_zero, constants_of, distinct_objects, numeric_start
from ..display import LatexDisplay
from ..model.sentence import Equals, LayerQuantity, Sentence, Variable, layer_range
from ..initialization.patterns import parse_init
from .subspace import Identity, constant_subspace, dead_subspace, tie_count, tie_subspace
from .twins import Partition, twin_classes

NUMERIC_STEPS = 5
NUMERIC_RUNS = 2
#: above this many parameters the twins claim is decided at the class level (``functional``)
PER_ENTRY_PARAMETERS = 2000


@dataclass(frozen=True)
class NumericConfirmation:
    """Float training from the actual initial values: do the twins stay equal?"""

    runs: int
    steps: int
    max_twin_difference: float
    tolerance: float

    @property
    def twins_stay_equal(self) -> bool:
        return tie_level(self.max_twin_difference, self.tolerance) != NOT_KEPT

    @property
    def finite(self) -> bool:
        """False when float training produced NaN or inf: then it confirms nothing either way."""
        return self.max_twin_difference < float("inf")


#: The statement of the twins claim when every hidden unit is distinct at the start.
NO_TWINS = Sentence(("no twins",))
#: the note of an init whose hidden units all differ (``analyze`` and ``scan``)
ALL_DISTINCT = Sentence(("every hidden unit is distinct at the start: there are no twins to keep tied",))


@dataclass(frozen=True)
class Claim:
    """One claim of ``analyze`` (twins, dead network, K = 0) or of its functional part
    (``functional.analysis``: functional ties, dead units, twins at the class level), with its
    verdict and the evidence it rests on."""

    name: str
    statement: Sentence
    verdict: str
    #: the engine's induction: the inductive step from a generic point (twins, dead network,
    #: K = 0), or the first update from the given values (functional ties); None: not run
    step: Induction | None = None
    base_identities: int = 0  # identities of the base case checked in the initial values
    base_holds: bool = True
    #: the update rule on one block (``functional.proof.prove_rule_keeps_blocks``): the
    #: class-level argument, when the claim rests on one
    rule: object = None
    notes: tuple[str, ...] = ()
    #: claim-specific evidence (e.g. the output bias moves; the class-level claim a twins claim rests on)
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Analysis(LatexDisplay):
    spec: MLP
    init: object
    optimizer: Optimizer
    partition: Partition
    twins: Claim | None
    dead: Claim | None
    regression: tuple[Claim, ...]
    numeric: NumericConfirmation | None
    verdict: Status  # every claim made, the dead-units claim included (the exit code)
    #: the tie claims alone (twins or functional ties, the dead network): what the printers'
    #: "Verdict:" sentence states; ``verdict`` also joins the dead-units claim, on which the live width rests
    tie_verdict: Status
    notes: tuple[Sentence, ...]  # prose with its formulas as structure (``model.sentence``)
    functional: object = None  # functional.Functional: equitable classes, dead units, quotient


# ---------------------------------------------------------------- twins claim

def prove_twins_persist(partition: Partition, optimizer, seed: int = 0, exhaustive: bool = False) -> Induction:
    """Inductive step: from a generic point of S_P (state tied alike) one update stays in S_P."""
    return prove_tie_persists(tie_subspace(partition), get_optimizer(optimizer), seed, exhaustive=exhaustive)


#: the base case of "twins persist" is not a check that could fail: ``twin_classes`` builds the
#: partition from exactly the equalities of S_P that hold in the initial values
BASE_BY_CONSTRUCTION = ("holds by construction: the twin classes are read off these equalities "
                        "of the initial values")


# ----------------------------------------------------------------- dead claim

def is_dead_start(spec: MLP, values: dict, exact: dict | None = None) -> bool:
    """sigma(0) = 0 and every weight and hidden bias exactly 0 (``exact``: the values as
    ``equitable.exact_parameters`` integers, when the caller has them)."""
    if get_activation(spec.activation).zero_at_zero is not True or spec.depth == 0:
        return False
    zero = (lambda name: all_zero(exact[name])) if exact is not None else (lambda name: _all_zero(values[name]))
    return all(zero(name) for name in spec.parameter_names if name != f"b{spec.depth + 1}")


def _all_zero(value) -> bool:
    """Every entry 0; tied values repeat a few objects, each compared once."""
    flat = [v for row in value for v in row] if value and isinstance(value[0], tuple) else list(value)
    return all(v == 0 for v in distinct_objects(flat)[0])


def prove_dead(spec: MLP, optimizer, values: dict, seed: int = 0, step_spec: MLP | None = None,
               exact: dict | None = None) -> Claim:
    """``step_spec``: the network the inductive step runs on -- by default ``spec``; the
    quotient (d, 1, ..., 1, m) for a wide network and an entrywise rule, where the quotient
    lemma makes every gradient entry the quotient's divided by a class size."""
    optimizer = get_optimizer(optimizer)
    base_spec, spec = spec, step_spec or spec
    subspace = dead_subspace(spec)
    params = subspace.parameters
    # base case by the engine on the network itself; on the quotient the start was checked
    # exactly by ``is_dead_start`` (the caller's condition for asking)
    start = values if spec is base_spec else None
    result = prove_invariance(subspace, optimizer, seed, start=start)
    base_count = sum(math.prod(base_spec.parameter_shape(name)) for name in base_spec.parameter_names
                     if name != f"b{base_spec.depth + 1}")
    base_holds = (all(check.status == PROVED for check in result.base) if start is not None
                  else is_dead_start(base_spec, values, exact))
    # the output bias does move: its update is not identically zero
    new_params, _ = result.update
    last = f"b{spec.depth + 1}"
    decision = decide_equal(new_params[last][0], params[last][0], Sampler(spec, optimizer, seed))
    status, method, witness = decision.status, decision.method, decision.witness
    moves = {"parameter": last, "status": "moves" if status == REFUTED else status, "method": method}
    if witness is not None:
        point, after, before = witness
        moves.update({"point": {k: str(v) for k, v in sorted(point.items())},
                      "after": show_value(after), "before": str(point.get(str(params[last][0]), before))})
    # on the quotient, a start that is not dead leaves the claim without its base case
    verdict = result.verdict if base_holds or start is not None else UNDECIDED
    last_layer = spec.depth + 1
    biases = layer_range("b", 1, spec.depth)
    statement = Sentence(("with ", Equals(sp.Function(spec.activation)(0), 0), " and ", Equals(sp.Symbol("W"), 0),
                          ", ", Equals(biases, 0), ", every ", LayerQuantity("W", "i"), " and ", biases,
                          " stay exactly 0 at every step: only ", LayerQuantity("b", str(last_layer)), " ever moves"))
    return Claim("dead network", statement, verdict, result, base_count, base_holds, extra={"output_bias": moves})


# ----------------------------------------------------------- K = 0 regression

def regression_claims(spec: MLP, optimizer, seed: int = 0) -> tuple[Claim, ...]:
    """Linear / logistic / softmax regression started at one constant: do the weights stay equal?"""
    optimizer = get_optimizer(optimizer)
    rows, cols = spec.weight_shape(1)
    claims = []
    if cols >= 2:
        identities = [Identity("W1", 1, "weights", (0, c), (0, 0)) for c in range(1, cols)]
        claims.append(("input weights", Sentence(("the weights of output 0 from the different inputs stay equal",)),
                       identities))
    if rows >= 2:
        identities = [Identity("W1", 1, "weights", (k, 0), (0, 0)) for k in range(1, rows)]
        claims.append(("output units", Sentence(("the different outputs keep equal weights",)), identities))
    result = []
    update = None  # every claim is about the same update: run it once
    for name, statement, identities in claims:
        step = prove_invariance(constant_subspace(spec, identities), optimizer, seed, with_state=False,
                                update=update)
        update = step.update
        result.append(Claim(name, statement, step.verdict, step))
    return tuple(result)


# ------------------------------------------------------------------- analyze

def numeric_confirmation(spec: MLP, optimizer, partition: Partition, values: dict,
                         seed: int = 0) -> NumericConfirmation:
    """Train in floats from the initial values; the largest difference between twins.

    Symbolic constants of the init (w1, beta1, ...) get seeded rational values first:
    the twin classes hold for every value of the constants."""
    start = numeric_start(spec, values, constant_values(spec, optimizer, values, seed))
    pairs = tie_subspace(partition).identities
    worst = 0.0
    for run in range(NUMERIC_RUNS):
        for params in train(spec, optimizer, start, NUMERIC_STEPS, seed + run, draw_hyper=hyper_draw(spec, optimizer)):
            if largest_entry(params.values()) == float("inf"):
                worst = float("inf")  # NaN or inf: the route fails, it neither ties nor separates
            for p in pairs:
                a, b = entry(params[p.group], p.position), entry(params[p.group], p.reference)
                # relative to the twins themselves: a rule that reorders their updates keeps them
                # tied to a tolerance only, so the bitwise ``ties.first_untied`` would be too strict
                worst = max(worst, class_gap((a, b)))
    return NumericConfirmation(NUMERIC_RUNS, NUMERIC_STEPS, worst, tolerances.TIE_DRIFT)


def constant_values(spec: MLP, optimizer, values: dict, seed: int = 0, constants=None) -> dict:
    """Seeded rational values for the init's symbolic constants (w1, beta1, ...), if any
    (``constants``: those symbols, when the caller has collected them)."""
    sampler = Sampler(spec, get_optimizer(optimizer), seed)
    found = constants_of(values) if constants is None else sorted(constants, key=str)
    return {s: sp.Rational(str(sampler.value(s.name))) for s in found}


def analyze(spec: MLP, init, optimizer="sgd", seed: int = 0, numeric: bool = True,
            class_level=None, values: dict | None = None, exact: dict | None = None) -> Analysis:
    """Twin classes of ``init``, and proofs (or counterexamples) about how ``optimizer`` treats them.

    ``class_level`` (optimizer, seed -> claim with ``statement`` and ``verdict``) decides the twins
    claim above ``PER_ENTRY_PARAMETERS`` parameters, where the per-entry step grows with the width
    (``functional.analysis.analyze_functional`` passes it, and adds equitable classes and dead units).
    ``values``, ``exact``: ``init.values(spec)`` and ``equitable.exact_parameters`` of it, when the
    caller has them already."""
    init = parse_init(init, seed) if isinstance(init, str) else init
    optimizer = get_optimizer(optimizer)
    budget.phase(f"analyzing MLP {budget.brief(spec.name)} ({optimizer.name})")
    values = init.values(spec) if values is None else values
    # the same classes from exact integers (``equitable``) when the caller has them: no hashing of
    # SymPy rows, which dominates on wide networks
    partition = twin_classes(spec, values, exact)
    notes = []
    twins = dead = None
    regression: tuple[Claim, ...] = ()
    confirmation = None
    if spec.depth == 0:
        regression = regression_claims(spec, optimizer, seed)
        notes.append(Sentence((Equals(Variable("K"), 0), ": no hidden layer, so no hidden units can be "
                               "interchangeable; zero or constant initialization is fine for linear, logistic "
                               "and softmax regression")))
    else:
        count = tie_count(partition)
        if partition.is_trivial:
            notes.append(ALL_DISTINCT)
            twins = Claim("twins persist", NO_TWINS, PROVED)
        elif class_level is not None and spec.parameter_count > PER_ENTRY_PARAMETERS:
            # the class-level route: its cost does not depend on the width
            level = class_level(optimizer, seed)
            twins = Claim("twins persist", level.statement, level.verdict, base_identities=count,
                          extra={"base_case": BASE_BY_CONSTRUCTION, "class_level": level})
        else:
            step = prove_twins_persist(partition, optimizer, seed)
            verdict = step.verdict
            base = {"base_case": BASE_BY_CONSTRUCTION}
            twins = Claim("twins persist", Sentence(("units in one twin class stay twins after every update",)),
                          verdict, step, count, extra=base)
            if numeric:
                confirmation = numeric_confirmation(spec, optimizer, partition, values, seed)
                reason = contradicted_by_training(verdict, confirmation.finite, confirmation.twins_stay_equal)
                if reason is not None:
                    twins = replace(twins, verdict=UNDECIDED)
                    notes.append(Sentence((f"{reason}; the verdict is withheld",)))
        if is_dead_start(spec, values, exact):
            step_spec = None
            if class_level is not None and spec.parameter_count > PER_ENTRY_PARAMETERS and \
                    not getattr(class_level, "structural", lambda o: True)(optimizer):
                step_spec = MLP((spec.input_width,) + (1,) * spec.depth + (spec.output_width,),
                                spec.activation, spec.loss)
            dead = prove_dead(spec, optimizer, values, seed, step_spec, exact)
    verdict = _overall(twins, dead)
    if getattr(init, "is_symbolic", False):
        notes.append(Sentence(("symbolic constants count as different from each other: the twin classes "
                               "hold for every value of the constants",)))
    return Analysis(spec, init, optimizer, partition, twins, dead, regression, confirmation,
                    verdict, verdict, tuple(notes))


def _overall(*claims) -> Status:
    return combine(*(c.verdict for c in claims if c is not None))
