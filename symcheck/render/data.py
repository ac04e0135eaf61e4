"""JSON-ready dictionaries for symcheck's result objects.

Exact values (rationals, expressions) are written as strings in SymPy's
syntax so that nothing is rounded; floats appear only where the value is
a float measurement (cross-check differences, NumPy gradients)."""

from __future__ import annotations

import json
import math

from ..exact.identities import kernels_data
from ..induction.invariants import InvariantCheck
from ..induction.engine import Counterexample
from ..induction.symmetry import Proof
from .text import EquationPrinter


def dumps(data) -> str:
    """Deterministic JSON: sorted keys are *not* used so that fields keep a reading order.
    NaN and infinities are not JSON: they are written as the strings "NaN", "Infinity", "-Infinity"."""
    return json.dumps(_finite(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def check_data(check: InvariantCheck) -> dict:
    data = {
        "status": check.status,
        "identities": check.identities,
        "methods": {method: count for method, count in check.methods},
    }
    if check.kernels:
        data["kernels"] = kernels_data(check)
    if check.failure is not None:
        data["first_failure"] = {
            "position": list(check.failure.position),
            "reference": list(check.failure.reference),
            "value": str(check.failure.lhs),
            "reference_value": str(check.failure.rhs),
        }
    return data


def counterexample_data(example: Counterexample) -> dict:
    return {
        "parameter": example.invariant.parameter,
        "property": example.invariant.property,
        "stage": example.stage,
        "position": list(example.position),
        "reference": list(example.reference),
        "value": str(example.value),
        "reference_value": str(example.reference_value),
        "point": {name: str(value) for name, value in example.point.items()},
        "recheck": example.recheck,
        "rechecked": example.rechecked,
    }


def proof_data(proof: Proof) -> dict:
    spec = proof.spec
    data = {
        "claim": "constant-initialization symmetry",
        "network": {
            "widths": list(spec.widths),
            "hidden_layers": spec.depth,
            "activation": spec.activation,
            "loss": spec.loss,
        },
        "init": {"name": proof.init.name, "seed": proof.init.seed, "description": proof.init.describe()},
        "optimizer": proof.optimizer,
        "verdict": proof.verdict,
        "vacuous": proof.vacuous,
        "invariants": [
            {
                "parameter": r.invariant.parameter,
                "layer": r.invariant.layer,
                "property": r.invariant.property,
                "status": r.status,
                "base_case": check_data(r.base),
                "inductive_step": check_data(r.step),
            }
            for r in proof.results
        ],
        "generic_point": list(proof.tied.description),
        "convention": proof.convention,
        "notes": list(proof.notes),
    }
    if proof.counterexample is not None:
        data["counterexample"] = counterexample_data(proof.counterexample)
    if proof.confirmation is not None:
        confirmation = proof.confirmation
        data["numeric_confirmation"] = {
            "step_difference": confirmation.step_difference,
            "tied_after_training": confirmation.tied_after_training,
            "consistent": confirmation.consistent,
            "detail": confirmation.detail,
        }
    if proof.cross_check is not None:
        check = proof.cross_check
        data["cross_check"] = {
            "method": check.gradients.method,
            "points": check.gradients.points,
            "max_relative_gradient_difference": check.gradients.max_abs_difference,
            "tolerance": check.gradients.tolerance,
            "invariants_hold_after_numeric_step": check.invariants_hold,
            "bitwise_equal": check.bitwise,
            "passed": check.passed,
        }
    return data


def derivation_data(derivation) -> dict:
    printer = EquationPrinter()
    equation = lambda e: {  # noqa: E731
        "stage": e.stage, "layer": e.layer, "rule": e.rule,
        "lhs": printer.doprint(e.lhs), "rhs": printer.doprint(e.rhs),
        "relation": "<-" if e.assignment else "=",
    }
    spec = derivation.spec
    return {
        "network": {"widths": list(spec.widths), "activation": spec.activation, "loss": spec.loss},
        "loss": derivation.loss_description,
        "convention": derivation.convention,
        "equations": [equation(e) for e in derivation.equations],
        "scalar_equations": [equation(e) for e in derivation.scalar_equations],
        "check": {"method": derivation.check.method, "entries": derivation.check.entries,
                  "passed": derivation.check.passed, "detail": derivation.check.detail},
    }


def gradient_data(evaluation) -> dict:
    check = evaluation.cross_check
    return {
        "loss": evaluation.loss,
        "grads": {name: value.tolist() for name, value in evaluation.gradients.items()},
        "cross_check": {"method": check.method, "max_relative_difference": check.max_abs_difference,
                        "tolerance": check.tolerance, "passed": check.passed},
    }
