"""The constant-initialization theorem for any optimizer, in the shape of a ``Proof``.

``prove_symmetry(..., optimizer=NAME)`` lands here for every optimizer but plain
SGD: the invariant set is the full tie (every hidden layer one class), the
base case is checked as before, and the inductive step is ``stepcheck``'s
update from a generic point of the set with optimizer state tied alike."""

from __future__ import annotations


import sympy as sp

from .analysis import prove_twins_persist
from ..exact.verdict import PROVED, UNDECIDED, combine
from .invariants import (EQUAL_COLUMNS, EQUAL_ENTRIES, EQUAL_ROWS, Invariant, InvariantCheck, TiedPoint,
                         check_invariant, symmetry_invariants)
from ..model.optimizers import get_optimizer
from ..model.spec import MLP
from .twins import full_partition, partition_point

PROPERTIES = {"rows": EQUAL_ROWS, "columns": EQUAL_COLUMNS, "entries": EQUAL_ENTRIES}


def optimizer_proof(spec: MLP, init, seed: int, optimizer):
    from .symmetry import Counterexample, InvariantResult, Proof

    optimizer = get_optimizer(optimizer)
    invariants = symmetry_invariants(spec)
    start = init.values(spec)
    partition = full_partition(spec)
    params, symbols = partition_point(partition)
    step = prove_twins_persist(spec, partition, optimizer, seed, exhaustive=True) if invariants else None
    by_key = {}
    state_lines, state_checks = [], []
    if step is not None:
        for check in step.checks:
            if ":" in check.group:
                state_checks.append(check)
                state_lines.append(f"optimizer state {check.group}: {check.property} of layer {check.layer} "
                                   f"twins stay equal: {check.status} ({check.identities} identities)")
                continue
            by_key[(check.group, PROPERTIES[check.property])] = check
    results = []
    for inv in invariants:
        check = by_key.get((inv.parameter, inv.property))
        if check is None:  # pragma: no cover - every invariant has identities when it exists
            step_check = InvariantCheck(inv, UNDECIDED, 0, ())
        else:
            step_check = InvariantCheck(inv, check.status, check.identities, check.methods,
                                        decided=check.decided)
        results.append(InvariantResult(inv, check_invariant(inv, start[inv.parameter], seed), step_check))
    # the step's own verdict, not its groups': prove_step withholds a refutation
    # whose counterexample failed its replay, and that must not be undone here
    verdict = combine(*(r.base.status for r in results), step.verdict if step is not None else PROVED)
    counterexample = None
    for r in results:  # a failing initial value is reported first, as for SGD
        if r.base.status == "refuted":
            from .symmetry import _recheck_base
            counterexample = _recheck_base(r.invariant, r.base.failure)
            break
    if counterexample is None and step is not None and step.counterexample is not None:
        ce = step.counterexample
        identity = ce.identity
        prop = PROPERTIES[identity.property]
        counterexample = Counterexample(
            Invariant(identity.group, prop), "step", identity.position, identity.reference,
            ce.value, ce.reference_value,
            {k: sp.Rational(v.numerator, v.denominator) for k, v in ce.point.items()},
            f"replayed in {ce.recheck_domain}: {ce.recheck_value} vs {ce.recheck_reference_value}",
            ce.rechecked)
    description = (
        "tied subspace with one symbol per block: " + ", ".join(s.name for s in symbols),
        f"optimizer state ({', '.join(optimizer.state + optimizer.scalar_state) or 'none'}) tied alike; "
        f"hyperparameters symbolic ({', '.join(name for name, _ in optimizer.hyper)})",
    )
    notes = [f"optimizer {optimizer.name}: {optimizer.rule}"] + state_lines
    if optimizer.note:
        notes.append(optimizer.note)
    if step is not None and step.concrete:
        notes.append("the update was evaluated at one rational point (Gauss-Seidel sweep on a wide "
                     "network): enough to refute, never to prove")
    tied = TiedPoint(params, symbols, description)
    return Proof(spec, init, verdict, tuple(results), tied, counterexample, None, tuple(notes),
                 optimizer=optimizer.name, state_checks=tuple(state_checks))


__all__ = ["optimizer_proof"]
