"""Claim kind ``derivation``: the backpropagation recursion (1)-(3) gives the true gradient.

For small networks the recursion is compared with ``sympy.diff`` of the scalar
loss, entry by entry and exactly (``derive``); every network is also compared
with NumPy backprop and central finite differences at a random point. Both
must agree for "proved"; an exact counterexample (a rational point where the
two routes differ) makes it "refuted".
"""

from __future__ import annotations

from ...symbolic.derivation import check_recursion, derive
from ...exact.decide import show_value
from ...exact.verdict import PROVED, REFUTED, UNDECIDED
from ..claims import ClaimKind, Verdict

#: generic_parameters makes one symbol per parameter: beyond this the claim is undecided, not a hang
MAX_PARAMETERS = 2000


def run(theorem, spec) -> Verdict:
    name = f"{spec.name} {spec.activation}/{spec.loss}"
    if spec.parameter_count > MAX_PARAMETERS:
        return Verdict(UNDECIDED, f"{name}: {spec.parameter_count} parameters exceed the limit of "
                                  f"{MAX_PARAMETERS} for a derivation check")
    seed = theorem.training["seed"]
    derivation = derive(spec, seed=seed)
    checks = [derivation.check]
    if derivation.scalar_equations:  # derive used the exact route; add the numeric one as well
        checks.append(check_recursion(spec, exact=False, seed=seed))
    evidence = [f"{c.method}: {c.entries} entries, {c.detail} -> {'passed' if c.passed else 'FAILED'}"
                for c in checks]
    data = {"checks": [{"method": c.method, "entries": c.entries, "passed": c.passed, "detail": c.detail}
                       for c in checks]}
    if all(c.passed for c in checks):
        return Verdict(PROVED, f"{name}: recursion = true gradient", tuple(evidence), data)
    witness = _exact_witness(derivation.check)
    if witness is not None:
        evidence.append(witness)
        return Verdict(REFUTED, f"{name}: the recursion differs from the true gradient", tuple(evidence), data)
    return Verdict(UNDECIDED, f"{name}: the routes disagree but no exact counterexample was found",
                   tuple(evidence), data)


def _exact_witness(check) -> str | None:
    """The first entry the exact route refuted (``derivation.check_recursion`` found it), as a line."""
    decision = check.refutation
    if decision is None:
        return None
    point = ", ".join(f"{k} = {v}" for k, v in decision.point.items())
    return (f"counterexample: {check.refuted_entry}: recursion gives {show_value(decision.lhs_value)}, "
            f"sympy.diff gives {show_value(decision.rhs_value)} at {point}")


KIND = ClaimKind(
    name="derivation",
    description="the backpropagation recursion (1)-(3) equals the derivative of the loss",
    run=run,
    training=frozenset({"seed"}),
)
