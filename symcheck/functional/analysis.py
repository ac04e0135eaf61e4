"""``analyze``'s functional part: equitable classes, dead units, live width, the quotient
network, and the claims about them -- each decided at the class level, so the cost does
not grow with the width (docs/analysis.md, "Functional symmetry").

Claims (each with its own verdict):

- **twins persist (class level)**: for networks too large for the per-entry step, the
  parametric claim from the update rule on a block of equal entries (``functional.proof``)
  and the quotient lemma;
- **functional ties persist**: the equitable classes stay equitable; the update rule on a
  block of different entries with equal sums, and (small networks) the first update from
  the given values, every datum and hyperparameter symbolic;
- **dead units stay dead**: per distinct dead bias, the probe step and the sign of b'.

Float64 evidence is separate and never overturns an exact verdict: the network and its
quotient trained side by side (losses compared), the drift of the tied block sums
(bitwise, to a tolerance, or not kept), and the quotient lemma at the given point
(the network's gradient vs the quotient's, NumPy).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

import numpy as np
import sympy as sp

from ..oracle import numeric, tolerances
from ..induction.analysis import Claim, analyze, constant_values
from .equitable import (float_parameters, numeric_start, coarsest_equitable, dead_units, exact_parameters,
                        per_entry_gradient, quotient, Quotient)
from .proof import (is_structural, DeadStep, dead_bias_values, first_step_at, prove_dead_stays_dead,
                               prove_rule_keeps_blocks)
from ..exact.verdict import PROVED, REFUTED, UNDECIDED
from ..model.optimizers import Optimizer
from ..exact.verdict import combine
from .quotient_check import FloatTie, QuotientRun, float_ties, quotient_is_exact, train_side_by_side
from ..model.sentence import Relation, Sentence
from ..model.spec import MLP
from ..oracle.training import sample_example
from ..induction.twins import Partition
from ..initialization.patterns import parse_init

QUOTIENT_STEPS = 100
#: the float64 run is the one cost that grows with the network: fewer steps on wide networks
FLOAT_BUDGET = 2_000_000  # parameters x steps
#: The dead-unit claim's conditions: a unit's bias and the weights it reads from live units.
BIAS, WEIGHTS = sp.Symbol("bias"), sp.Symbol("weights")


@dataclass(frozen=True)
class Functional:
    partition: Partition  # the coarsest equitable partition
    dead: tuple  # per hidden layer, dead units
    live_widths: tuple  # per hidden layer, classes not PROVED dead (all classes unless dead_claim is proved)
    ties: Claim | None  # None: the equitable classes are the twin classes
    dead_claim: Claim | None
    dead_steps: tuple[DeadStep, ...]
    quotient: Quotient | None
    run: QuotientRun | None  # float64: network and quotient side by side (only when the quotient is exact)
    lemma_difference: float | None  # float64: the quotient lemma at the given point
    quotient_exact: bool = True  # does training the quotient with this rule reproduce the network?
    float_tie: FloatTie | None = None  # float64 drift of the ties, from ``run`` or a run of the network alone


def live_widths(partition: Partition, dead: tuple) -> tuple:
    """Classes with a live unit (a class is dead or live as a whole: equal z for any data)."""
    return tuple(sum(1 for group in classes if not set(group) <= set(units))
                 for classes, units in zip(partition.layers, dead))


def twins_at_class_level(optimizer: Optimizer, seed: int = 0) -> Claim:
    rule = prove_rule_keeps_blocks(optimizer, seed, parametric=True)
    statement = Sentence(("units in one twin class stay twins after every update (class level)",))
    if rule is None:
        return Claim("twins persist", statement, UNDECIDED, notes=(
            f"{optimizer.name} treats units individually: no class-level argument, and the network is "
            "too large for the per-entry step",))
    return Claim("twins persist", statement, rule.verdict, rule=rule)


twins_at_class_level.structural = is_structural  # the dead-network step may use the quotient


def functional_analysis(spec: MLP, optimizer: Optimizer, values: dict, start: dict | None,
                        twins: Partition, seed: int = 0, exact: dict | None = None,
                        scale: dict | None = None, per_entry: bool = True) -> Functional:
    """``values``: the exact initial values; ``start``: the same as float64 arrays (None: nothing
    is trained); ``exact``: ``exact_parameters(spec, values)`` when already computed; ``scale``: its
    scales, given only when ``start`` is ``exact`` rounded once (the quotient reuses the integers); ``per_entry``
    False: no per-entry first step (``scan``'s convolutions, whose entries are vectors)."""
    exact = exact_parameters(spec, values) if exact is None else exact
    partition = coarsest_equitable(spec, exact)
    dead = dead_units(spec, exact)
    ties = None
    if partition.layers != twins.layers:
        ties = _ties_claim(spec, optimizer, values, partition, seed, per_entry)
    dead_steps = tuple(prove_dead_stays_dead(spec, optimizer, b, seed)
                       for b in dead_bias_values(values, dead, weights=True)) if any(dead) else ()
    dead_claim = dead_units_claim(spec, dead, dead_steps) if dead_steps else None
    q = run = lemma = None
    if start is not None:
        # ``scale`` given: ``start`` is ``exact`` rounded once, so the quotient reuses the integers
        q = quotient(spec, start, partition, exact, scale) if scale is not None else quotient(spec, start, partition)
        lemma = _lemma_difference(spec, start, q, seed)
        steps = max(1, min(QUOTIENT_STEPS, FLOAT_BUDGET // spec.parameter_count))
        exact = quotient_is_exact(optimizer, partition, twins)
        # saturating sigmoids overflow exp harmlessly; a diverging run (noise) is reported as
        # "not kept" by tie_drift, not as a warning
        with np.errstate(over="ignore", invalid="ignore"):
            if exact:
                run = train_side_by_side(spec, optimizer, start, q, steps, seed)
                tie = run.ties
            else:  # the quotient is no model of this rule: measure the network's ties alone
                tie = float_ties(spec, optimizer, partition, start, steps, seed)
    if ties is not None and lemma is not None and lemma > tolerances.SAME_FORMULA and ties.verdict == PROVED:
        ties = replace(ties, verdict=UNDECIDED, notes=ties.notes + (
            "the NumPy gradient at the given point does not match the quotient lemma: the verdict is withheld",))
    # only units proved dead leave the live width: a refuted or undecided claim excludes nothing
    excluded = dead if dead_claim is not None and dead_claim.verdict == PROVED else tuple(() for _ in dead)
    if start is None:
        exact, tie = quotient_is_exact(optimizer, partition, twins), None
    return Functional(partition, dead, live_widths(partition, excluded), ties, dead_claim, dead_steps, q, run, lemma,
                      exact, tie)


def _ties_claim(spec, optimizer, values, partition, seed, per_entry=True) -> Claim:
    statement = Sentence(("units in one equitable class keep equal biases and equal block sums of their incoming "
                          "rows and outgoing columns after every update",))
    rule = prove_rule_keeps_blocks(optimizer, seed)
    first = first_step_at(spec, optimizer, values, partition, seed) if per_entry else None
    notes = []
    if rule is None:
        verdict = REFUTED if first is not None and first.verdict == REFUTED else UNDECIDED
        notes.append(f"{optimizer.name} treats units individually: no class-level argument")
    elif rule.verdict == PROVED:
        verdict = PROVED
        if first is not None and first.verdict == REFUTED:  # two routes disagree: claim nothing
            verdict = UNDECIDED
            notes.append("the first update from the given values separates a class that the class-level "
                         "argument keeps: the verdict is withheld")
    elif first is not None and first.verdict == REFUTED:
        verdict = REFUTED
    else:
        verdict = UNDECIDED
        notes.append(f"{optimizer.name} breaks the block sums of some equitable point (the rule's "
                     "counterexample); whether it breaks these classes is not decided"
                     + ("" if first is not None else " (network too large for the per-entry first step)"))
    return Claim("functional ties persist", statement, verdict, first, rule=rule, notes=tuple(notes))


def dead_units_claim(spec, dead, steps) -> Claim:
    """The claim "these dead units stay dead" from the probe steps of their bias and weight values."""
    statement = Sentence((f"every dead {spec.activation} unit (", Relation(BIAS, "<=", 0),
                          "; in layer 1 a zero row, deeper ", Relation(WEIGHTS, "<=", 0), " from live units) outputs 0 "
                          "for every input and never moves: no gradient reaches it, and its bias and weights keep "
                          "their sign"))
    statuses, notes = [], []
    for d in steps:
        statuses += [d.step.verdict, d.bias_status]
        if d.stays_nonpositive == "conditional":
            notes.append(f"dead value {d.bias}: {d.condition} (a hypothesis of the claim)")
        else:
            statuses.append(d.stays_nonpositive)
            if d.stays_nonpositive == REFUTED:
                notes.append(f"dead value {d.bias}: {d.condition}, e.g. at {d.witness}")
    return Claim("dead units stay dead", statement, combine(*statuses), notes=tuple(notes))


def _lemma_difference(spec: MLP, start: dict, q: Quotient, seed: int) -> float:
    """Largest difference between the network's gradient and the per-entry gradient the quotient
    lemma predicts, at one random example, relative to the larger of 1 and the layer's largest
    weight gradient (inf if anything is NaN or inf)."""
    x, y = sample_example(spec, random.Random(seed))
    big = numeric.backprop(spec, start, np.array(x), np.array(y)).gradients
    small = per_entry_gradient(q, numeric.backprop(q.spec, q.params, np.array(x), np.array(y)).gradients)
    worst = 0.0
    for i in spec.layers:
        rows = _expand(q.partition, i)
        cols = _expand(q.partition, i - 1)
        predicted = small[f"W{i}"][np.ix_(rows, cols)]
        scale = max(1.0, numeric.largest_entry([big[f"W{i}"]]))  # the layer's largest weight gradient
        worst = max(worst, numeric.worst_gap(big[f"W{i}"], predicted, scale),
                    numeric.worst_gap(big[f"b{i}"], small[f"b{i}"][rows], scale))  # NaN or inf: inf
    return worst


def _expand(partition: Partition, layer: int) -> np.ndarray:
    """Unit -> its class index."""
    labels = np.empty(partition.spec.widths[layer], dtype=np.int64)
    for label, group in enumerate(partition.classes(layer)):
        labels[list(group)] = label
    return labels


def analyze_functional(spec: MLP, init, optimizer="sgd", seed: int = 0, numeric: bool = True):
    """``analysis.analyze`` (twins; class level above ``PER_ENTRY_PARAMETERS``) plus the functional
    part; the top-level verdict is the verdict of the strongest tie claim made (combined with the
    dead-network claim, as in ``analysis``, and with the dead-units claim when units are dead at the start)."""
    init = parse_init(init, seed) if isinstance(init, str) else init
    if spec.depth == 0:
        return analyze(spec, init, optimizer, seed, numeric, class_level=twins_at_class_level)
    values = init.values(spec)
    scale: dict = {}
    constants: set = set()
    exact = exact_parameters(spec, values, scale, constants)
    result = analyze(spec, init, optimizer, seed, numeric, class_level=twins_at_class_level,
                     values=values, exact=exact)
    start = None
    if numeric:
        assignment = constant_values(spec, result.optimizer, values, seed, constants)
        start = numeric_start(spec, values, assignment) if assignment else float_parameters(spec, values, exact, scale)
    found = functional_analysis(spec, result.optimizer, values, start, result.partition, seed, exact,
                                scale if numeric and not assignment else None)
    strongest = found.ties if found.ties is not None else result.twins
    ties = combine(*(c.verdict for c in (strongest, result.dead) if c is not None))
    # the dead-unit claim is made whenever units are dead at the start (the live width rests on it)
    verdict = combine(ties, *(found.dead_claim.verdict,) if found.dead_claim is not None else ())
    return replace(result, functional=found, verdict=verdict, tie_verdict=ties)


__all__ = ["analyze_functional", "dead_units_claim", "Functional", "functional_analysis", "live_widths", 
           "twins_at_class_level"]
