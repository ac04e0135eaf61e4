"""Text for ``analyze``, ``trace`` and ``scan`` results: the ``AnalysisText`` mix-in of
``render.text.TextPrinter`` (``_print_Analysis``, ``_print_Trace``, ``_print_Scan`` and the
parts that theorem files quote as evidence), and the small helpers the LaTeX and data
printers share with it."""

from __future__ import annotations

import re

import numpy as np

from ..exact.identities import kernel_summary
from ..exact.verdict import REFUTED, UNDECIDED, Status
from .analysis_verdict import VerdictHead, dead_proved, verdict_sentence
from .sentence_text import sentence_text
from .texutil import shorten_numbers


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


def describe_classes(classes, limit: int = 8) -> str:
    """``{0..127}`` for runs, ``{0, 2}, {1}`` otherwise; long lists are shortened."""
    def one(group):
        if len(group) > 2 and list(group) == list(range(group[0], group[-1] + 1)):
            return f"{{{group[0]}..{group[-1]}}}"
        return "{" + ", ".join(map(str, group)) + "}"

    shown = [one(group) for group in classes[:limit]]
    if len(classes) > limit:
        shown.append(f"... ({len(classes) - limit} more)")
    return ", ".join(shown)


MARK = {"proved": "proved", "refuted": "REFUTED", "undecided": "undecided"}


def methods_text(methods) -> str:
    return ", ".join(f"{count} by {method}" for method, count in methods) or "none needed"


#: Symbol names of the math modules (0-based): W1_0_1, b1_0, x_0 -- shown as entries W1[0, 1], b1[0], x[0].
_ENTRY_NAME = re.compile(r"^([A-Za-z]+\d*)((?:_\d+)+)$")


def entry_name(name: str) -> str:
    """'W1_0_1' -> 'W1[0, 1]' (the entry notation of the rest of the text); other names unchanged."""
    match = _ENTRY_NAME.match(str(name))
    if not match:
        return str(name)
    return f"{match.group(1)}[{', '.join(match.group(2)[1:].split('_'))}]"


def point_text(point: dict) -> str:
    return ", ".join(f"{entry_name(name)} = {value}" for name, value in sorted(point.items(), key=lambda kv: str(kv[0])))


def value_text(text, relation: str = "") -> str:
    """A witness value to 4 significant digits; ``relation`` ('=') becomes '≈' when it was rounded."""
    short, rounded = shorten_numbers(str(text))
    if relation:
        return f"{'≈' if rounded else relation} {short}"
    return ("≈ " if rounded else "") + short


#: why the quotient is not trained with some rules (``quotient_check.QUOTIENT_RULES``)
QUOTIENT_NOTE = ("training the quotient with the same rule reproduces the network only for sgd, minibatch, "
                 "momentum, nesterov, rmsprop, adam, adamw and weight_decay (and adam_l2 when the classes "
                 "are twin classes); clip's global norm and adam_l2's normalisation of the value see the "
                 "entries, and the per-unit rules treat units individually.")


def _verdict_part_text(part) -> str:
    if isinstance(part, VerdictHead):
        if part.status is None:
            return "Verdict:"
        return f"Verdict: {part.status.upper()}" + ("" if part.status == UNDECIDED else ".")
    return MARK[part] if isinstance(part, Status) else part


class AnalysisText:
    """``_print_Analysis``, ``_print_Trace``, ``_print_Scan`` and their parts (lists of lines)."""

    def _print_Analysis(self, a: Analysis) -> str:
        if self._settings["quotient"]:
            return self.quotient_report(a)
        return self.analysis_report(a)

    def _print_Witness(self, w: Witness) -> str:
        return self.witness_text(w)

    def counterexample_lines(self, example: Counterexample, before: str) -> list[str]:
        first, second = example.entries()
        status = "confirmed" if example.rechecked else "NOT confirmed"
        relation = {"zero": "must stay 0", "weights": "start equal", "row sums": "must stay equal",
                    "column sums": "must stay equal", "class biases": "must stay equal"}.get(
            example.identity.property, "are twins")
        return [
            f"Counterexample ({before}): {first} and {second} {relation}, but after one update",
            f"  {first} {value_text(example.value, '=')}   {second} {value_text(example.reference_value, '=')}",
            f"  at the rational point {point_text(example.point)}",
            "  (entries not listed do not affect these two values)",
            f"  independent re-check, {example.recheck_domain}: {value_text(example.recheck_value)} vs "
            f"{value_text(example.recheck_reference_value)} -> {status}",
        ]

    def step_lines(self, step: Induction) -> list[str]:
        lines = []
        for check in step.checks:
            count = f"{check.identities} identit{'y' if check.identities == 1 else 'ies'}"
            lines.append(f"    {check.describe():52} {MARK[check.status]:9} {count}; {methods_text(check.methods)}{kernel_summary(check)}")
        if step.concrete:
            lines.append("    (the update was evaluated at one rational point: enough to refute, never to prove)")
        return lines

    def claim_lines(self, claim: Claim, generic: str) -> list[str]:
        lines = [f"Claim: {sentence_text(claim.statement)}, for any data and any hyperparameters."]
        lines.append(f"  Base case (t = 0): {claim.base_identities} identities checked exactly in the initial "
                     f"values: {'hold' if claim.base_holds else 'FAIL'}.")
        lines.append(f"  Inductive step: from {generic}, one update with symbolic data and hyperparameters:")
        lines += self.step_lines(claim.step)
        if claim.step.counterexample is not None:
            lines += ["", *self.counterexample_lines(claim.step.counterexample, "from a point of the set")]
        return lines

    def analysis_report(self, a: Analysis, header: list[str] | None = None) -> str:
        """``header``: lines in place of the network and init lines (``scan`` names its file)."""
        spec = a.spec
        lines = (header if header is not None else
                 [f"symcheck analyze: {spec.describe()}", f"Initialization: {a.init.name} ({sentence_text(a.init.description())})"])
        lines = list(lines) + [f"Optimizer: {a.optimizer.name}: {sentence_text(a.optimizer.rule)}"]
        if a.optimizer.note:
            lines.append(f"  ({sentence_text(a.optimizer.note)})")
        if spec.depth == 0:
            lines += ["", "No hidden layer (K = 0): linear / logistic / softmax regression."]
            for claim in a.regression:
                lines += ["", f"Claim (to refute): when every weight starts at one constant w, {sentence_text(claim.statement)}."]
                lines += self.step_lines(claim.step)
                if claim.step.counterexample is not None:
                    lines += self.counterexample_lines(claim.step.counterexample, "from W = w 1 1^T")
            if not a.regression:
                lines.append("  (a single weight: nothing to compare)")
            lines += ["", *[f"Note: {sentence_text(n)}" for n in a.notes], "",
                      "Verdict: zero or constant initialization is FINE here: " + regression_reason(a)]
            return "\n".join(lines) + "\n"
        lines += ["", "Twin classes (units with equal incoming row, bias and outgoing column):"]
        for layer, classes in enumerate(a.partition.layers, 1):
            width = spec.widths[layer]
            lines.append(f"  layer {layer}: effective width {len(classes)} of {width}   "
                         f"classes {describe_classes(classes)}")
        if a.twins is not None and a.twins.step is not None:
            lines += ["", *self.claim_lines(a.twins, "a generic point of the tied subspace (one symbol per "
                                       "block of tied entries; optimizer state tied alike)")]
        level = a.twins.extra.get("class_level") if a.twins is not None else None
        if level is not None:
            lines += ["", f"Claim: {sentence_text(level.statement)}, for any data and any hyperparameters.",
                      "  Base case: the twin classes are read off the initial values (by construction).",
                      "  Class level (the network is too wide for the per-entry step): at a point of the tied",
                      "  subspace every entry of a block gets the same gradient (the quotient lemma); the",
                      "  update rule on one block of equal entries, with equal gradients and state:"]
            lines += self.rule_lines(level.rule) if level.rule is not None else []
            lines += [f"  Note: {n}" for n in level.notes]
        if a.numeric is not None:
            n = a.numeric
            lines += ["", f"Numeric confirmation: float training from the initial values ({n.runs} runs x "
                          f"{n.steps} steps, random data): largest relative difference between twins "
                          f"{n.max_twin_difference:.3g} -> "
                          + ("twins stay equal" if n.twins_stay_equal else "twins SEPARATE")]
        if a.dead is not None:
            lines += ["", *self.dead_lines(a.dead)]
        if a.functional is not None:
            lines += ["", *self.functional_lines(a)]
        lines += ["", *[f"Note: {sentence_text(n)}" for n in a.notes]] if a.notes else []
        lines += ["", self.analysis_verdict(a)]
        return "\n".join(lines) + "\n"

    def quotient_report(self, a: Analysis) -> str:
        """``analyze --quotient``: the analysis, then the quotient network."""
        text = self.analysis_report(a)
        q = a.functional.quotient if a.functional is not None else None
        if q is None:
            return text + "\nQuotient: not computed (no numeric values).\n"
        return text + "\n" + self._print(q)

    def _print_Quotient(self, q: Quotient) -> str:
        lines = [f"quotient network {q.spec.name} (one unit per class; weights are block sums)"]
        for name in q.spec.parameter_names:
            lines.append(f"  {name} = {np.array2string(q.params[name], precision=6, threshold=64)}")
        sizes = "; ".join(f"layer {i}: {list(map(int, q.sizes[i]))}" for i in range(1, q.spec.depth + 1))
        return "\n".join(lines + [f"  class sizes {sizes}"]) + "\n"

    def rule_lines(self, rule) -> list[str]:
        lines = [f"    {text:46} {MARK[status]:9} {method}" for text, status, method in rule.checks]
        if rule.counterexample is not None:
            ce = rule.counterexample
            lines += [f"  Counterexample ({ce['identity']}): {ce['value']} vs {ce['reference_value']}",
                      f"    at {point_text(ce['point'])}",
                      f"    independent re-check, {ce['recheck_domain']}: {ce['recheck_value']} vs "
                      f"{ce['recheck_reference_value']} -> {'confirmed' if ce['rechecked'] else 'NOT confirmed'}"]
        return lines

    def functional_lines(self, a: Analysis) -> list[str]:
        f = a.functional
        lines = ["Functional classes (coarsest equitable partition: equal biases, equal sums of incoming",
                 "weights over every class below and of outgoing weights over every class above;",
                 "given numbers compared exactly, float64 values as the exact binary numbers they are):"]
        for i, classes in enumerate(f.partition.layers, 1):
            dead = f.dead[i - 1]
            lines.append(f"  layer {i}: functional width {len(classes)} of {a.spec.widths[i]}, dead units "
                         f"{len(dead)}, live width {f.live_widths[i - 1]}   classes {describe_classes(classes)}")
        if any(f.dead):
            lines.append("  (the live width excludes only units proved dead: "
                         + ("here all of them)" if dead_proved(f) else "here none, the dead-units claim is not proved)"))
        if f.ties is None:
            lines.append("  (the functional classes are the twin classes: nothing more is tied)")
        else:
            c = f.ties
            lines += ["", f"Claim: {sentence_text(c.statement)}, for any data and any hyperparameters.",
                      "  Base case: the classes are read off the initial values (equitable by construction).",
                      "  Class level: at an equitable point every entry of a block A x B has the gradient",
                      "  delta_A h_B (the quotient lemma); the update rule on one block whose entries differ but",
                      "  have equal sums, with equal gradients and state, every symbol free:"]
            lines += self.rule_lines(c.rule) if c.rule is not None else ["    (no class-level argument for this rule)"]
            if c.step is not None:
                lines.append("  First update from the given values (exact), data and hyperparameters symbolic:")
                lines += self.step_lines(c.step)
                if c.step.counterexample is not None:
                    lines += self.counterexample_lines(c.step.counterexample, "from the given values")
            lines += [f"  Note: {n}" for n in c.notes]
            lines.append(f"  Functional ties: {MARK[c.verdict].upper()}.")
        if f.dead_claim is not None:
            c = f.dead_claim
            lines += ["", f"Claim: {sentence_text(c.statement)}."]
            for d in f.dead_steps:
                lines.append(f"  dead bias or weight {d.bias}: zero row and state stay 0: {MARK[d.step.verdict]}; b' = {d.bias_update} "
                             f"({d.condition})")
            lines += [f"  Note: {n}" for n in c.notes]
            lines.append(f"  Dead units: {MARK[c.verdict].upper()}.")
        if f.run is not None:
            r = f.run
            lines += ["", f"Float64 evidence (separate from the exact verdicts): network and quotient trained side by "
                          f"side for {r.steps} steps: largest relative loss difference {r.max_loss_difference:.3g}; "
                          f"tied block sums: {r.ties.level} (largest relative drift {r.ties.drift:.3g}); "
                          f"quotient lemma at the initial values: {f.lemma_difference:.3g}."]
        elif f.float_tie is not None:
            t = f.float_tie
            lines += ["", f"Float64 evidence (separate from the exact verdicts): the network trained alone for {t.steps} "
                          f"steps: tied block sums: {t.level} (largest relative drift {t.drift:.3g}); quotient lemma "
                          f"at the initial values: {f.lemma_difference:.3g}.",
                      f"  The quotient network is not trained side by side: {QUOTIENT_NOTE}"]
        return lines

    def dead_lines(self, claim: Claim) -> list[str]:
        lines = ["Dead network: " + sentence_text(claim.statement) + "."]
        lines.append(f"  Base case: {claim.base_identities} entries are exactly 0 in the initial values: "
                     f"{'hold' if claim.base_holds else 'FAIL'}.")
        lines.append("  Inductive step: from {W_i = 0, b1..bK = 0, output bias free} (optimizer state alike):")
        lines += self.step_lines(claim.step)
        moves = claim.extra["output_bias"]
        if moves["status"] == "moves":
            lines.append(f"  {moves['parameter']} does move: {moves['before']} -> {moves['after']} at "
                         + ", ".join(f"{k} = {v}" for k, v in moves["point"].items()))
        if claim.step.counterexample is not None:
            lines += self.counterexample_lines(claim.step.counterexample, "from a point of the set")
        verdict = {"proved": "PROVED: the network never learns anything but its output bias",
                   "refuted": "REFUTED", "undecided": "undecided"}[claim.verdict]
        lines.append(f"  Dead network: {verdict}.")
        return lines

    def analysis_verdict(self, a: Analysis) -> str:
        """``verdict_sentence(a)`` in text."""
        return "".join(_verdict_part_text(part) for part in verdict_sentence(a))

    def witness_text(self, w: Witness | None) -> str:
        if w is None:
            return ""
        value, rounded = shorten_numbers(w.value)  # 4 significant digits; the JSON output keeps them all
        replayed = ""
        if w.recheck:
            recheck, again = shorten_numbers(w.recheck)
            replayed = f"; replayed: {'≈' if again else '='} {recheck} ({'confirmed' if w.rechecked else 'NOT confirmed'})"
        return f"{w.entry} {'≈' if rounded else '='} {value} at {point_text(w.point)}{replayed}"

    def _print_Trace(self, t: Trace) -> str:
        spec = t.spec
        lines = [f"symcheck trace: {spec.describe()}",
                 f"Initialization: {t.init.name} ({sentence_text(t.init.description())})",
                 "Optimizer: plain gradient descent, theta <- theta - eta dL/dtheta",
                 f"Data: {sentence_text(t.data_note)}.", "",
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
                    lines.append(f"    {g.name} moves{equal}: {self.witness_text(g.witness)}")
                elif g.status == UNDECIDED:
                    lines.append(f"    {g.name}: undecided ({g.method})")
            lines.append(f"  invariants after the step: {'all hold' if step.invariants_hold else 'not all hold'}")
            for inv in step.invariants:
                extra = f"  ({self.witness_text(inv.witness)})" if inv.witness else ""
                lines.append(f"    {inv.description:28} {inv.status}{extra}")
        if t.dead is not None:
            lines += ["", *self.dead_lines(t.dead)]
        return "\n".join(lines) + "\n"

    def scan_header_lines(self, s: Scan) -> list[str]:
        chain = s.chain
        widths = "-".join(str(w) for w in s.analysis.spec.widths)
        lines = [f"symcheck scan: {chain.path} ({chain.format}, {'/'.join(chain.dtypes)}): {len(chain.layers)} layers, "
                 f"units {widths}, activation {s.activation} ({'from the file' if s.activation_source == 'file' else s.activation_source})",
                 "Layers (units: rows of a linear layer, output channels of a convolution):"]
        for i, layer in enumerate(chain.layers, 1):
            bias = f"b{i} <- {layer.bias_name}" if layer.bias_name else f"b{i} = 0 (no bias in the file)"
            lines.append(f"  W{i} <- {layer.weight_name} [{layer_shape(layer)}] {layer.kind}, {bias}")
        lines.append(f"Parameters: {s.parameters}; effective (quotient network, dead classes removed): "
                     f"{s.effective_parameters}")
        lines.append(f"Initialization: {sentence_text(s.analysis.init.description())}")
        return lines

    def near_tie_lines(self, s: Scan) -> list[str]:
        if s.near is None:
            return []
        lines = ["", f"Near ties (--tolerance {s.near.tolerance:g}; float evidence, reported and never proved): units of "
                     "different twin classes whose weights, bias and outgoing weights differ by at most the tolerance "
                     "relative to their largest entry:"]
        for i, (pairs, count) in enumerate(zip(s.near.layers, s.near.counts), 1):
            shown = ", ".join(f"{p}~{q} ({d:.2g})" for p, q, d in pairs) or "none"
            lines.append(f"  layer {i}: {count} pair{'s' if count != 1 else ''}: {shown}"
                         + (f" ... ({count - len(pairs)} more)" if count > len(pairs) else ""))
        return lines

    def _print_Scan(self, s: Scan) -> str:
        text = self.analysis_report(s.analysis, self.scan_header_lines(s))
        return text + ("\n".join(self.near_tie_lines(s)[1:]) + "\n" if s.near is not None else "")


def layer_shape(layer) -> str:
    """A file layer's weight shape, "4x3"."""
    return "x".join(str(d) for d in layer.weight.shape)
