"""Plain text for people: ``text(obj)`` prints any result object.

``TextPrinter`` dispatches by class name, as SymPy's printers do (``_print_Proof``,
``_print_Analysis``, ...; SymPy's own ``Printer._print`` walks the MRO), so no result
module is imported here: annotations name the classes and are never evaluated. The
analyze/trace parts are the ``AnalysisText`` mix-in (``render.text_analysis``), the
general proof's the ``GeneralText`` mix-in (``render.text_general``)."""

from __future__ import annotations

import textwrap

import sympy as sp
from sympy.printing.printer import Printer
from sympy.printing.str import StrPrinter

from ..errors import UnsupportedObject
from ..exact.identities import kernel_summary
from ..exact.verdict import PROVED, REFUTED
from ..oracle import tolerances
from .latex_variance import number_text, plain_rule, rule_instance
from .sentence_text import sentence_text
from .text_analysis import MARK, AnalysisText
from .text_general import GeneralText


def text(obj, **settings) -> str:
    """Plain text for a symcheck result (``prove``, ``derive``, ``analyze``, ``trace``, ``scan``, ...)."""
    return TextPrinter(settings).doprint(obj)


def _methods(check) -> str:
    methods = ", ".join(f"{count} by {method}" for method, count in check.methods) or "none needed"
    return methods + kernel_summary(check)


def _count(check) -> str:
    return f"{check.identities} identit{'y' if check.identities == 1 else 'ies'}"


def _position(name: str, position) -> str:
    return f"{name}[{', '.join(map(str, position))}]"


STAGE_TITLES = {
    "forward": "Forward pass",
    "output": "Output gradient",
    "backward": "Backward pass (equations (1) dL/dW, (2) dL/db and delta, (3) dL/dh)",
    "update": "Gradient-descent update",
}

#: What ``symcheck init`` says about each distribution's support.
SUPPORT = {
    "constant": "every entry equals the value",
    "normal": "unbounded",
    "uniform": "flat on the support",
    "truncated_normal": "normal redrawn outside [-bound, bound]",
    "orthogonal": "(semi-)orthogonal rows or columns, times the gain",
}


def middle_layer(depth: int) -> int:
    """The layer shown between the first and the last in the init-report table."""
    return max(1, (depth + 1) // 2)


class EquationPrinter(StrPrinter):
    """SymPy's str printer with textbook marks: ⊙ for the Hadamard product,
    ^T for transposes, operands kept in the order the equation states them."""

    def __init__(self):
        super().__init__({"order": "none"})

    def _print_HadamardProduct(self, expr):
        return " ⊙ ".join(self.parenthesize(arg, 50) for arg in expr.args)

    def _print_Transpose(self, expr):
        text = self._print(expr.arg)
        return f"{text}^T" if expr.arg.is_symbol else f"({text})^T"

    def _print_MatMul(self, expr):
        coefficient, factors = expr.as_coeff_mmul()
        text = " ".join(self.parenthesize(f, 50) for f in factors.args)
        if coefficient == -1:
            return "-" + text
        return text if coefficient == 1 else f"{self._print(coefficient)} {text}"

    def _print_MatAdd(self, expr):
        terms = [self._print(arg) for arg in expr.args]
        text = terms[0]
        for term in terms[1:]:
            text += f" - {term[1:]}" if term.startswith("-") else f" + {term}"
        return text


class TextPrinter(AnalysisText, GeneralText, Printer):
    """Plain text for result objects; see the module docstring.

    Settings: ``quotient`` (``analyze --quotient``: the quotient network after the analysis)."""

    printmethod = None
    _default_settings = {"quotient": False}

    def emptyPrinter(self, obj):
        raise UnsupportedObject(f"no text form for {type(obj).__name__}")

    def _print_Sentence(self, sentence: Sentence) -> str:
        return sentence_text(sentence)

    # ------------------------------------------------------------ prove

    def proof_counterexample_lines(self, example: Counterexample) -> list[str]:
        """``prove``'s counterexample (an invariant that fails), one line per fact."""
        inv = example.invariant
        where = "at t = 0, in the initial values" if example.stage == "base" else "after one step"
        lines = [
            f"Counterexample ({where}): {inv.describe()} fails:",
            f"  {_position(inv.parameter, example.position)} = {example.value}"
            f"  but  {_position(inv.parameter, example.reference)} = {example.reference_value}",
        ]
        if example.point:
            assignment = ", ".join(f"{name} = {value}" for name, value in example.point.items())
            lines.append(f"  at the point {assignment}")
        status = "confirmed" if example.rechecked else "NOT confirmed"
        lines.append(f"  independent re-check: {status} ({example.recheck})")
        return lines

    def _print_Proof(self, proof: Proof) -> str:
        spec = proof.spec
        lines = [
            f"symcheck prove: {spec.describe()}",
            f"Initialization: {proof.init.name} ({sentence_text(proof.init.description())})",
        ]
        if proof.optimizer != "sgd":
            lines.append(f"Optimizer: {proof.optimizer} (see the first note for its update rule)")
        if proof.vacuous:
            lines += ["", *map(sentence_text, proof.notes), "", "Verdict: PROVED (vacuously: no hidden layer)"]
            return "\n".join(lines) + "\n"
        lines += [
            "",
            "Claim: when training starts from this initialization, after any number of",
            "gradient-descent steps, for any data and any learning rate:",
        ]
        for number, (base, _) in enumerate(proof.invariants, 1):
            lines.append(f"  [{number}] {base.describe():28} ({base.invariant.meaning()})")
        lines += ["", "Base case (t = 0): the initial values satisfy each invariant."]
        for number, (check, _) in enumerate(proof.invariants, 1):
            lines.append(f"  [{number}] {MARK[check.status]:9} {_count(check)}; {_methods(check)}")
        lines += [
            "",
            "Inductive step (t -> t+1): take a generic point of the invariant set,",
        ]
        lines += [f"    {line}" for line in proof.tied.description]
        lines += [
            "  with symbolic input x, target y and learning rate eta; derive dL/dtheta by",
            "  backpropagation and take one step theta' = theta - eta dL/dtheta."
            if proof.optimizer == "sgd" else
            f"  backpropagation and take one {proof.optimizer} update (hyperparameters symbolic).",
        ]
        for number, (_, check) in enumerate(proof.invariants, 1):
            lines.append(
                f"  [{number}] {MARK[check.status]:9} {_count(check)} on "
                f"{check.invariant.parameter}'; {_methods(check)}"
            )
        if proof.cross_check is not None:
            check = proof.cross_check
            lines += [
                "",
                f"Independent cross-check: NumPy float64 at {check.gradients.points} random points of the set:",
                f"  symbolic vs NumPy gradient, max relative difference "
                f"{check.gradients.max_abs_difference:.2e} (tolerance {check.gradients.tolerance:.0e})",
                "  invariants after one numeric step: "
                + ("hold" + (" (bitwise equal)" if check.bitwise else f" (to {tolerances.ONE_STEP_TIE:g})") if check.invariants_hold
                   else "VIOLATED"),
            ]
        if proof.confirmation is not None:
            lines.append(f"  NumPy confirmation: {proof.confirmation.detail}")
        if proof.counterexample is not None:
            lines += ["", *self.proof_counterexample_lines(proof.counterexample)]
        lines += ["", f"Convention: {proof.convention}."]
        lines += [f"Note: {sentence_text(note)}" for note in proof.notes]
        lines += ["", self.proof_verdict(proof)]
        return "\n".join(lines) + "\n"

    def proof_verdict(self, proof: Proof) -> str:
        spec = proof.spec
        if proof.verdict == PROVED:
            widths = spec.hidden_widths
            layers = (f"the hidden layer ({widths[0]} units) keeps" if len(widths) == 1
                      else f"the hidden layers ({', '.join(map(str, widths))} units) keep")
            collapsed = "-".join([str(spec.input_width)] + ["1"] * spec.depth + [str(spec.output_width)])
            return (
                f"Verdict: PROVED. By induction the invariants hold at every step: {layers} "
                f"identical units for ever, and the network trains like a {collapsed} network."
            )
        if proof.verdict == REFUTED:
            stage = proof.counterexample.stage if proof.counterexample else "base"
            why = ("the initialization is not in the invariant set" if stage == "base"
                   else "one step leaves the invariant set")
            return f"Verdict: REFUTED ({why}; see the counterexample)."
        return "Verdict: UNDECIDED (some identity could be neither proved nor refuted)."

    # ------------------------------------------------------------ derive

    def _print_Equation(self, equation: Equation) -> str:
        arrow = " <- " if equation.assignment else " = "
        printer = EquationPrinter()
        return f"{printer.doprint(equation.lhs)}{arrow}{printer.doprint(equation.rhs)}"

    def _print_Derivation(self, derivation: Derivation) -> str:
        spec = derivation.spec
        lines = [f"symcheck derive: {spec.describe()}",
                 f"Loss: {derivation.loss_description}. Convention: {derivation.convention}.", ""]
        stage = None
        for equation in derivation.equations:
            if equation.stage != stage:
                if stage is not None:
                    lines.append("")
                stage = equation.stage
                lines.append(STAGE_TITLES[stage] + ":")
            rule = f"  [{equation.rule}]" if equation.rule.startswith("(") else ""
            lines.append(f"  {self._print(equation)}{rule}")
            if equation.stage == "output" and spec.loss == "ce":
                lines.append("  (for a one-hot target y, sum(y) = 1: the output gradient is softmax(o) - y)")
        if spec.activation == "gelu":
            lines += ["", "GELU's derivative: gelu'(x) = Phi(x) + x phi(x), with Phi and phi the standard normal "
                      "distribution function and density; below it is written out as "
                      "normal_cdf(x) + x exp(-x^2/2)/sqrt(2 pi), normal_cdf(x) = Phi(x) = erfc(-x/sqrt(2))/2."]
        if derivation.scalar_equations:
            lines += ["", "Entry by entry (0-based indices):"]
            lines += [f"  {self._print(e)}" for e in derivation.scalar_equations]
        check = derivation.check
        lines += ["", f"Check: {check.method}: {check.entries} gradient entries, {check.detail} -> "
                      + ("passed" if check.passed else "FAILED")]
        return "\n".join(lines) + "\n"

    # ------------------------------------------------------------ init

    def _print_VarianceDerivation(self, derivation: VarianceDerivation) -> str:
        lines = [sentence_text(derivation.title)]
        lines += [f"  assume: {sentence_text(assumption)}" for assumption in derivation.assumptions]
        for number, step in enumerate(derivation.steps, 1):
            lhs, rhs = (sp.sstr(side, order="lex") for side in step.equation.args)
            lines.append(f"  ({number}) {lhs} = {rhs}")
            lines.append(f"      {sentence_text(step.reason)}")
        return "\n".join(lines)

    def _print_Initializer(self, init: Initializer) -> str:
        shape = "(" + ", ".join(map(str, init.shape)) + ")"
        lines = [f"{init.scheme} ({init.convention} convention) for shape {shape}"]
        if init.fan_in is not None:
            lines.append(f"  fan_in {init.fan_in}, fan_out {init.fan_out}")
        lines.append(f"  distribution  {init.distribution}: {SUPPORT[init.distribution]}")
        lines.append(f"  mean          {init.mean!r}")
        lines.append(f"  std           {init.std!r}")
        if init.parent_std is not None:
            lines.append(f"  std before cut {init.parent_std!r}")
        lines.append(f"  bound         {'none' if init.bound is None else repr(init.bound)}")
        if init.low is not None:
            lines.append(f"  support       [{init.low!r}, {init.high!r}]")
        if init.rule is not None:
            lines.append(f"  rule          Var(W) = {plain_rule(init.rule)}")
            instance = rule_instance(init)
            if instance is not None:
                given = ", ".join(f"{symbol} = {value}" for symbol, value in instance["values"].items())
                found = f"Var(W) = {number_text(instance['variance'])}, std = {number_text(instance['std'])}"
                if instance["bound"] is not None:
                    found += f", bound a = sqrt(3)·std = {number_text(instance['bound'])}"
                lines.append(f"  at this shape {given}: {found}")
        if init.parameters:
            lines.append("  parameters    " + ", ".join(f"{k}={v!r}" for k, v in init.parameters))
        lines.append(f"  same law as   {init.library_call}")
        return "\n".join(lines)

    # ------------------------------------------------------------ init-report

    def _print_SignalReport(self, report: SignalReport) -> str:
        L, mid = report.depth, middle_layer(report.depth)
        lines = [
            f"Signal propagation at initialization: {L} hidden layers of width {report.width}, "
            f"{report.samples} inputs x ~ N(0, I), biases 0, seed {report.seed}, {report.convention} convention",
            "Var(h_i): variance of the activations of layer i; Var(dL/dz_i): variance of the back-propagated "
            "gradient (output gradient ~ N(0, I));",
            f"sat_i: fraction of saturated units (sigma'(z) below {report.saturation_fraction:.0%} of its peak).",
        ]
        if {"lecun_normal", "xavier_normal"} <= {run.scheme for run in report.runs}:
            lines.append("Square layers have fan_in = fan_out, so lecun_normal and xavier_normal coincide.")
        columns = ("Var(h_1)", f"Var(h_{mid})", f"Var(h_{L})", "Var(dL/dz_1)", f"Var(dL/dz_{L})",
                   "sat_1", f"sat_{L}")
        header = f"  {'scheme':<24}" + "".join(f"{c:>14}" for c in columns)
        for activation in dict.fromkeys(run.activation for run in report.runs):
            lines += ["", activation, header]
            for run in (r for r in report.runs if r.activation == activation):
                a, g, s = run.activation_variance, run.gradient_variance, run.saturation
                cells = (a[0], a[mid - 1], a[-1], g[0], g[-1])
                text = "".join(f"{value:>14.3g}" for value in cells)
                text += "".join(f"{'-':>14}" if s is None else f"{s[i]:>14.1%}" for i in (0, -1))
                lines.append(f"  {run.scheme:<24}{text}")
            lines.append(textwrap.fill(report.conclusions[activation], 110, initial_indent="  ", subsequent_indent="  "))
        return "\n".join(lines)
