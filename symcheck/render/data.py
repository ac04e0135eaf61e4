"""JSON-ready data for machines: ``data(obj)`` turns any result object into a dict.

Exact values (rationals, expressions) are written as strings in SymPy's
syntax so that nothing is rounded; floats appear only where the value is
a float measurement (cross-check differences, NumPy gradients).

``DataPrinter`` dispatches by class name, as ``render.text.TextPrinter`` does, so no
result module is imported here; the analyze/trace/scan parts are the ``AnalysisData``
mix-in (``render.data_analysis``)."""

from __future__ import annotations

import json
import math

import sympy as sp
from sympy.printing.printer import Printer

from ..errors import UnsupportedObject
from ..exact.identities import kernels_data
from ..exact.verdict import combine
from .data_analysis import AnalysisData
from .sentence_text import sentence_text
from .text import EquationPrinter
from .text_general import entry_text, part_of


def data(obj) -> dict:
    """A JSON-ready dict for a symcheck result (``prove``, ``derive``, ``grad``, ``analyze``, ...)."""
    return DataPrinter().doprint(obj)


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


class DataPrinter(AnalysisData, Printer):
    """JSON-ready dicts for result objects; see the module docstring."""

    printmethod = None

    def doprint(self, obj) -> dict:
        return self._print(obj)

    def emptyPrinter(self, obj):
        raise UnsupportedObject(f"no data form for {type(obj).__name__}")

    def check_data(self, check: GroupCheck) -> dict:
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

    def proof_counterexample(self, example: Counterexample) -> dict:
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

    def _print_Proof(self, proof: Proof) -> dict:
        spec = proof.spec
        data = {
            "claim": "constant-initialization symmetry",
            "network": {
            "widths": list(spec.widths),
            "hidden_layers": spec.depth,
            "activation": spec.activation,
            "loss": spec.loss,
            },
            "init": {"name": proof.init.name, "seed": proof.init.seed, "description": sentence_text(proof.init.description())},
            "optimizer": proof.optimizer,
            "verdict": proof.verdict,
            "vacuous": proof.vacuous,
            "invariants": [
                {
                    "parameter": base.invariant.parameter,
                    "layer": base.invariant.layer,
                    "property": base.invariant.property,
                    "status": combine(base.status, step.status),
                    "base_case": self.check_data(base),
                    "inductive_step": self.check_data(step),
                }
                for base, step in proof.invariants
            ],
            "generic_point": list(proof.tied.description),
            "convention": proof.convention,
            "notes": [sentence_text(note) for note in proof.notes],
        }
        if proof.counterexample is not None:
            data["counterexample"] = self.proof_counterexample(proof.counterexample)
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

    def _print_Derivation(self, derivation) -> dict:
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

    def _print_GradientEvaluation(self, evaluation) -> dict:
        check = evaluation.cross_check
        return {
            "loss": evaluation.loss,
            "grads": {name: value.tolist() for name, value in evaluation.gradients.items()},
            "cross_check": {"method": check.method, "max_relative_difference": check.max_abs_difference,
                            "tolerance": check.tolerance, "passed": check.passed},
        }

    def lemma_check(self, check) -> dict:
        data = {"identity": sentence_text(check.identity), "holds": check.holds}
        value = entry_text(check)
        if value is not None:
            data["entry"] = value
        if not check.holds:
            data["reason"] = sentence_text(check.reason)
            witness = getattr(check, "witness", None)
            if witness:
                (a, va), (b, vb) = witness["entries"]
                data["counterexample"] = {
                    "dimensions": witness["dimensions"], "values": witness["values"],
                    "entries": [{"position": list(a), "value": str(va)}, {"position": list(b), "value": str(vb)}],
                }
        return data

    def _print_StatementCounterexample(self, counterexample: StatementCounterexample) -> dict:
        return {"network": counterexample.network, "dropped": list(counterexample.dropped),
            "start": counterexample.start, "xs": [list(x) for x in counterexample.xs],
            "ys": [list(y) for y in counterexample.ys], "step": counterexample.step,
            "broken": counterexample.broken}

    def _print_GeneralProof(self, proof: GeneralProof) -> dict:
        lemmas = []
        for number, lemma in enumerate(proof.lemmas, 1):
            item = {
            "number": number, "name": lemma.name, "part": sentence_text(part_of(lemma.name)),
            "statement": sentence_text(lemma.stated), "hypotheses": [sentence_text(h) for h in lemma.hypotheses],
            "premises": list(lemma.premises), "checked": lemma.checked,
            "identities": [self.lemma_check(check) for check in lemma.checks],
            }
            if not lemma.checked:
                item["reason"] = sentence_text(lemma.reason)
            lemmas.append(item)
        failed = proof.failed
        return {
            "theorem": sentence_text(proof.theorem),
            "verdict": proof.verdict,
            "dropped_hypotheses": {name: sentence_text(h) for name, h in proof.dropped_hypotheses.items()},
            "failing_lemma": failed[0].name if failed else None,
            "counterexample": None if proof.counterexample is None else self._print(proof.counterexample),
            "rescaling": [sentence_text(r) for r in proof.rescaling],
            "cross_check": [{"network": name, "max_relative_difference": float(f"{error:.1e}")}
                            for name, error in proof.cross_check],
            "lemmas": lemmas,
        }

    def _print_Initializer(self, init: Initializer) -> dict:
        return {
            "scheme": init.scheme,
            "convention": init.convention,
            "shape": list(init.shape),
            "fan_in": init.fan_in,
            "fan_out": init.fan_out,
            "distribution": init.distribution,
            "mean": init.mean,
            "std": init.std,
            "bound": init.bound,
            "parameters": {name: value for name, value in init.parameters},
            "rule": None if init.rule is None else f"Var(W) = {sp.sstr(init.rule)}",
            "library_call": init.library_call,
        }

    def _print_SignalRun(self, run: SignalRun) -> dict:
        return {
            "scheme": run.scheme,
            "activation": run.activation,
            "activation_variance": list(run.activation_variance),
            "gradient_variance": list(run.gradient_variance),
            "saturation": None if run.saturation is None else list(run.saturation),
        }

    def _print_SignalReport(self, report: SignalReport) -> dict:
        return {"depth": report.depth, "width": report.width, "samples": report.samples, "seed": report.seed,
                "convention": report.convention, "runs": [self._print(run) for run in report.runs]}
