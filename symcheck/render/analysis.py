"""Text and JSON for ``analyze`` and ``trace`` results."""

from __future__ import annotations

import re

from .texutil import shorten_numbers
from ..analysis import Analysis, Claim
from ..identities import REFUTED, kernel_summary, kernels_data
from ..stepcheck import Counterexample, StepResult
from ..trace import Trace, Witness
from ..twins import describe_classes

def regression_reason(a: Analysis) -> str:
    """Why K = 0 is fine, read from the claims' verdicts: the weights separate only if every
    claim that they stay equal was refuted."""
    if not a.regression:
        return "there are no hidden units to be interchangeable."
    if all(claim.verdict == REFUTED for claim in a.regression):
        return "the weights separate after one step (see the counterexamples)."
    open_claims = ", ".join(f"{claim.name} ({claim.verdict})" for claim in a.regression if claim.verdict != REFUTED)
    return ("there are no hidden units to be interchangeable; but that the weights separate is not shown "
            f"for every claim: {open_claims}.")


MARK = {"proved": "proved", "refuted": "REFUTED", "undecided": "undecided"}


def _init_name(init) -> str:
    return init.name


def _methods(methods) -> str:
    return ", ".join(f"{count} by {method}" for method, count in methods) or "none needed"


#: Symbol names of the math modules (0-based): W1_0_1, b1_0, x_0 -- shown as entries W1[0, 1], b1[0], x[0].
_ENTRY_NAME = re.compile(r"^([A-Za-z]+\d*)((?:_\d+)+)$")


def entry_name(name: str) -> str:
    """'W1_0_1' -> 'W1[0, 1]' (the entry notation of the rest of the text); other names unchanged."""
    match = _ENTRY_NAME.match(str(name))
    if not match:
        return str(name)
    return f"{match.group(1)}[{', '.join(match.group(2)[1:].split('_'))}]"


def _point(point: dict) -> str:
    return ", ".join(f"{entry_name(name)} = {value}" for name, value in sorted(point.items(), key=lambda kv: str(kv[0])))


def _value(text, relation: str = "") -> str:
    """A witness value to 4 significant digits; ``relation`` ('=') becomes '≈' when it was rounded."""
    short, rounded = shorten_numbers(str(text))
    if relation:
        return f"{'≈' if rounded else relation} {short}"
    return ("≈ " if rounded else "") + short


# ------------------------------------------------------------------ analyze

def counterexample_lines(example: Counterexample, before: str) -> list[str]:
    first, second = example.entries()
    status = "confirmed" if example.rechecked else "NOT confirmed"
    relation = {"zero": "must stay 0", "weights": "start equal"}.get(example.identity.property, "are twins")
    return [
        f"Counterexample ({before}): {first} and {second} {relation}, but after one update",
        f"  {first} {_value(example.value, '=')}   {second} {_value(example.reference_value, '=')}",
        f"  at the rational point {_point(example.point)}",
        "  (entries not listed do not affect these two values)",
        f"  independent re-check, {example.recheck_domain}: {_value(example.recheck_value)} vs "
        f"{_value(example.recheck_reference_value)} -> {status}",
    ]


def _step_lines(step: StepResult) -> list[str]:
    lines = []
    for check in step.checks:
        count = f"{check.identities} identit{'y' if check.identities == 1 else 'ies'}"
        lines.append(f"    {check.describe():52} {MARK[check.status]:9} {count}; {_methods(check.methods)}{kernel_summary(check)}")
    if step.concrete:
        lines.append("    (the update was evaluated at one rational point: enough to refute, never to prove)")
    return lines


def _claim_lines(claim: Claim, generic: str) -> list[str]:
    lines = [f"Claim: {claim.statement}, for any data and any hyperparameters."]
    lines.append(f"  Base case (t = 0): {claim.base_identities} identities checked exactly in the initial "
                 f"values: {'hold' if claim.base_holds else 'FAIL'}.")
    lines.append(f"  Inductive step: from {generic}, one update with symbolic data and hyperparameters:")
    lines += _step_lines(claim.step)
    if claim.step.counterexample is not None:
        lines += ["", *counterexample_lines(claim.step.counterexample, "from a point of the set")]
    return lines


def analysis_text(a: Analysis) -> str:
    spec = a.spec
    lines = [f"symcheck analyze: {spec.describe()}",
             f"Initialization: {_init_name(a.init)} ({a.init.describe()})",
             f"Optimizer: {a.optimizer.name}: {a.optimizer.rule}"]
    if a.optimizer.note:
        lines.append(f"  ({a.optimizer.note})")
    if spec.depth == 0:
        lines += ["", "No hidden layer (K = 0): linear / logistic / softmax regression."]
        for claim in a.regression:
            lines += ["", f"Claim (to refute): when every weight starts at one constant w, {claim.statement}."]
            lines += _step_lines(claim.step)
            if claim.step.counterexample is not None:
                lines += counterexample_lines(claim.step.counterexample, "from W = w 1 1^T")
        if not a.regression:
            lines.append("  (a single weight: nothing to compare)")
        lines += ["", *[f"Note: {n}" for n in a.notes], "",
                  "Verdict: zero or constant initialization is FINE here: " + regression_reason(a)]
        return "\n".join(lines) + "\n"
    lines += ["", "Twin classes (units with equal incoming row, bias and outgoing column):"]
    for layer, classes in enumerate(a.partition.layers, 1):
        width = spec.widths[layer]
        lines.append(f"  layer {layer}: effective width {len(classes)} of {width}   "
                     f"classes {describe_classes(classes)}")
    if a.twins is not None and a.twins.step is not None:
        lines += ["", *_claim_lines(a.twins, "a generic point of the tied subspace (one symbol per "
                                   "block of tied entries; optimizer state tied alike)")]
    if a.numeric is not None:
        n = a.numeric
        lines += ["", f"Numeric confirmation: float training from the initial values ({n.runs} runs x "
                      f"{n.steps} steps, random data): largest relative difference between twins "
                      f"{n.max_twin_difference:.3g} -> "
                      + ("twins stay equal" if n.twins_stay_equal else "twins SEPARATE")]
    if a.dead is not None:
        lines += ["", *dead_lines(a.dead)]
    lines += ["", *[f"Note: {n}" for n in a.notes]] if a.notes else []
    lines += ["", _verdict(a)]
    return "\n".join(lines) + "\n"


def dead_lines(claim: Claim) -> list[str]:
    lines = ["Dead network: " + claim.statement + "."]
    lines.append(f"  Base case: {claim.base_identities} entries are exactly 0 in the initial values: "
                 f"{'hold' if claim.base_holds else 'FAIL'}.")
    lines.append("  Inductive step: from {W_i = 0, b1..bK = 0, output bias free} (optimizer state alike):")
    lines += _step_lines(claim.step)
    moves = claim.extra["output_bias"]
    if moves["status"] == "moves":
        lines.append(f"  {moves['parameter']} does move: {moves['before']} -> {moves['after']} at "
                     + ", ".join(f"{k} = {v}" for k, v in moves["point"].items()))
    if claim.step.counterexample is not None:
        lines += counterexample_lines(claim.step.counterexample, "from a point of the set")
    verdict = {"proved": "PROVED: the network never learns anything but its output bias",
               "refuted": "REFUTED", "undecided": "undecided"}[claim.verdict]
    lines.append(f"  Dead network: {verdict}.")
    return lines


def _verdict(a: Analysis) -> str:
    widths = ", ".join(str(w) for w in a.partition.effective_widths)
    if a.verdict == "proved":
        if a.twins is None or a.twins.step is None:
            return f"Verdict: every hidden unit is distinct at the start (effective widths {widths})."
        return (f"Verdict: PROVED. The twin classes persist at every step: the hidden layers train "
                f"with effective widths {widths}.")
    if a.verdict == "refuted":
        return f"Verdict: REFUTED. {a.optimizer.name} separates twins (see the counterexample)."
    return "Verdict: UNDECIDED (some identity could be neither proved nor refuted)."


def _counterexample_data(example: Counterexample | None):
    if example is None:
        return None
    first, second = example.entries()
    return {"entry": first, "reference": second, "value": example.value,
            "reference_value": example.reference_value,
            "point": {k: str(v) for k, v in sorted(example.point.items())},
            "recheck": example.recheck_domain,
            "recheck_values": [example.recheck_value, example.recheck_reference_value],
            "rechecked": example.rechecked}


def _step_data(step: StepResult | None):
    if step is None:
        return None
    return {"verdict": step.verdict, "evaluated_at_one_point": step.concrete,
            "checks": [{"group": c.group, "layer": c.layer, "property": c.property, "status": c.status,
                        "identities": c.identities, "methods": dict(c.methods),
                        **({"kernels": kernels_data(c)} if c.kernels else {})} for c in step.checks],
            "counterexample": _counterexample_data(step.counterexample)}


def _claim_data(claim: Claim | None):
    if claim is None:
        return None
    data = {"statement": claim.statement, "verdict": claim.verdict,
            "base_case": {"identities": claim.base_identities, "holds": claim.base_holds},
            "inductive_step": _step_data(claim.step)}
    data.update(claim.extra)
    return data


def analysis_data(a: Analysis) -> dict:
    spec = a.spec
    data = {
        "network": {"widths": list(spec.widths), "activation": spec.activation, "loss": spec.loss},
        "init": {"name": _init_name(a.init), "description": a.init.describe()},
        "optimizer": {"name": a.optimizer.name, "rule": a.optimizer.rule},
        "layers": [{"layer": i, "width": spec.widths[i], "effective_width": len(classes),
                    "classes": [list(group) for group in classes]}
                   for i, classes in enumerate(a.partition.layers, 1)],
        "verdict": a.verdict,
        "twins_persist": _claim_data(a.twins),
        "dead_network": _claim_data(a.dead),
        "no_hidden_layer": [dict(_claim_data(c), name=c.name) for c in a.regression],
        "numeric_confirmation": None if a.numeric is None else {
            "runs": a.numeric.runs, "steps": a.numeric.steps,
            "max_twin_difference": a.numeric.max_twin_difference, "tolerance": a.numeric.tolerance,
            "twins_stay_equal": a.numeric.twins_stay_equal},
        "notes": list(a.notes),
    }
    return data


# -------------------------------------------------------------------- trace

def _witness_text(w: Witness | None) -> str:
    if w is None:
        return ""
    value, rounded = shorten_numbers(w.value)  # 4 significant digits; the JSON output keeps them all
    replayed = ""
    if w.recheck:
        recheck, again = shorten_numbers(w.recheck)
        replayed = f"; replayed: {'≈' if again else '='} {recheck} ({'confirmed' if w.rechecked else 'NOT confirmed'})"
    return f"{w.entry} {'≈' if rounded else '='} {value} at {_point(w.point)}{replayed}"


def trace_text(t: Trace) -> str:
    spec = t.spec
    lines = [f"symcheck trace: {spec.describe()}",
             f"Initialization: {_init_name(t.init)} ({t.init.describe()})",
             "Optimizer: plain gradient descent, theta <- theta - eta dL/dtheta",
             f"Data: {t.data_note}.", "",
             "Step 0 (initial values): invariants "
             + ("hold" if all(i.status == "holds" for i in t.initial_invariants) else "do not all hold")]
    for inv in t.initial_invariants:
        lines.append(f"    {inv.description:28} {inv.status}")
    for step in t.steps:
        lines += ["", f"Step {step.step}:",
                  f"  zero gradient (for every x, y): {', '.join(step.zero_gradient) or 'none'}",
                  f"  moved: {', '.join(step.moved) or 'nothing'}"]
        for g in step.groups:
            if g.status == "moves":
                equal = " (every entry by the same amount)" if g.equal_moves else ""
                lines.append(f"    {g.name} moves{equal}: {_witness_text(g.witness)}")
            elif g.status == "undecided":
                lines.append(f"    {g.name}: undecided ({g.method})")
        lines.append(f"  invariants after the step: {'all hold' if step.invariants_hold else 'not all hold'}")
        for inv in step.invariants:
            extra = f"  ({_witness_text(inv.witness)})" if inv.witness else ""
            lines.append(f"    {inv.description:28} {inv.status}{extra}")
    if t.dead is not None:
        lines += ["", *dead_lines(t.dead)]
    return "\n".join(lines) + "\n"


def _witness_data(w: Witness | None):
    if w is None:
        return None
    return {"entry": w.entry, "point": {k: str(v) for k, v in sorted(w.point.items())}, "value": w.value,
            "replayed": w.recheck, "rechecked": w.rechecked}


def trace_data(t: Trace) -> dict:
    spec = t.spec
    return {
        "network": {"widths": list(spec.widths), "activation": spec.activation, "loss": spec.loss},
        "init": {"name": _init_name(t.init), "description": t.init.describe()},
        "data": t.data_note,
        "initial_invariants_hold": all(i.status == "holds" for i in t.initial_invariants),
        "steps": [
            {"step": s.step, "moved": s.moved, "zero_gradient": s.zero_gradient,
             "invariants_hold": s.invariants_hold,
             "equal_moves": [g.name for g in s.groups if g.status == "moves" and g.equal_moves],
             "undecided": [g.name for g in s.groups if g.status == "undecided"],
             "witnesses": {g.name: _witness_data(g.witness) for g in s.groups if g.witness},
             "invariants": [{"invariant": i.description, "status": i.status,
                             "witness": _witness_data(i.witness)} for i in s.invariants]}
            for s in t.steps
        ],
        "dead_network": _claim_data(t.dead),
    }
