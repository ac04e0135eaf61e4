"""LaTeX for ``analyze`` and ``trace`` results (``symcheck.induction.analysis``, ``symcheck.induction.trace``).

A mixin of ``SymcheckLatexPrinter``: twin classes, the claims proved by
induction (base case, inductive step per parameter group), exact
counterexamples with their independent re-check, and step-by-step traces;
the optimizer's rule and the notes are sentences, their forms printed by
``latex_rule_forms``.
"""

from __future__ import annotations

import re
from fractions import Fraction

import sympy as sp

from ..exact.verdict import UNDECIDED, Status
from .latex_rule_forms import RuleFormsLatex
from .analysis_verdict import VerdictHead, verdict_sentence
from .text_analysis import describe_classes, regression_reason
from .texutil import STATUS_TEX, check_status, network_tex, sci, shorten_numbers, tex_text

_TRACE_DATA = re.compile(r"^([xy])\^(\d+)_(\d+)$")


APPROX = r"\approx"


class AnalysisLatex(RuleFormsLatex):
    """``_print_Analysis``, ``_print_Trace`` and their parts; the optimizers' rules through ``RuleFormsLatex``."""

    # ------------------------------------------------------------ small pieces

    def group_tex(self, group: str) -> str:
        """"W1" -> W^{[1]}; optimizer state "m:W1" -> m(W^{[1]})."""
        if ":" in group:
            state, parameter = group.split(":", 1)
            return rf"\mathrm{{{tex_text(state)}}}\bigl({self.group_tex(parameter)}\bigr)"
        return self.parameter(group) if re.fullmatch(r"[A-Za-z]\d+", group) else rf"\mathrm{{{tex_text(group)}}}"

    def group_entry(self, group: str, position) -> str:
        if ":" in group:
            state, parameter = group.split(":", 1)
            return rf"\mathrm{{{tex_text(state)}}}\bigl({self.group_entry(parameter, position)}\bigr)"
        return self.position(group, position)

    def point_tex(self, point: dict, trace: bool = False) -> str:
        items = []
        for name, value in sorted(point.items()):
            match = _TRACE_DATA.match(name) if trace else None
            if match:  # step t's example: the superscript is the step, not an index
                letter, step, j = match.groups()
                symbol = f"{letter}^{{({step})}}_{{{self.indices(int(j))}}}"
            else:
                symbol = self._print(sp.Symbol(name))
            items.append(f"{symbol} = {self._print(sp.Rational(Fraction(value)))}")
        return ", ".join(items)

    def witness_entry(self, witness) -> str:
        """The entry (or the two entries compared) a witness is about, from its structure."""
        shown = [self.group_entry(group, position) for group, position in witness.entries]
        if witness.gradient:
            shown = [self.partial(text) for text in shown]
        return r" \text{ vs } ".join(shown)

    def _print_GroupCheck(self, check) -> str:
        group = f"${self.group_tex(check.group)}$"
        if check.invariant is not None:  # named by the symmetry theorem
            what = self._print(check.invariant)
        elif check.property == "zero":
            what = f"{group} stays $0$"
        elif check.property == "weights":
            what = f"{group}: the compared weights stay equal"
        else:
            noun = {"rows": "incoming rows", "columns": "outgoing columns", "entries": "biases"}[check.property]
            what = f"{group}: twins of layer {check.layer} keep equal {noun}"
        return f"{what} --- {check_status(check)}"

    def _print_Induction(self, induction) -> str:
        """The inductive step's checks and its counterexample (a claim prints its base case itself)."""
        text = ("\\begin{itemize}\n" + "".join(rf"  \item {self._print(c)}" + "\n" for c in induction.checks)
                + "\\end{itemize}\n")
        if induction.concrete:
            text += "(The update was evaluated at one rational point: enough to refute, never to prove.)\n"
        if induction.counterexample is not None:
            text += self.twin_counterexample(induction.counterexample)
        return text

    def twin_counterexample(self, example) -> str:
        identity = example.identity
        first = self.group_entry(identity.group, identity.position)
        second = "0" if identity.reference is None else self.group_entry(identity.group, identity.reference)
        relation = {"zero": "must stay $0$", "weights": "start equal"}.get(identity.property, "are twins")
        status = "confirmed" if example.rechecked else r"\textbf{not confirmed}"
        values = {}
        for key in ("value", "reference_value", "recheck_value", "recheck_reference_value"):
            short, rounded = shorten_numbers(tex_text(getattr(example, key)), tex=True)
            values[key] = (APPROX if rounded else "=", short)  # 4 significant digits, never 20
        (r1, v1), (r2, v2) = values["value"], values["reference_value"]
        return (rf"\paragraph{{Counterexample.}} ${first}$ and ${second}$ {relation}, but after one update "
                rf"${first} {r1} {v1}$ and ${second} {r2} {v2}$ "
                rf"at the rational point ${self.point_tex(example.point)}$ (entries not listed do not affect "
                rf"these two values). Independent re-check, {tex_text(example.recheck_domain)}: "
                rf"${values['recheck_value'][1]}$ vs ${values['recheck_reference_value'][1]}$, "
                rf"{status}." + "\n")

    def analysis_claim(self, claim, start: str) -> str:
        text = (rf"\paragraph{{Claim.}} {self._print(claim.statement)}, for any data and any hyperparameters." + "\n"
                rf"\emph{{Base case ($t = 0$):}} {claim.base_identities} identities checked exactly in the initial "
                rf"values: {_holds(claim.base_holds)}." + "\n"
                rf"\emph{{Inductive step:}} from {start}, one update with symbolic data and hyperparameters:" + "\n")
        return text + (self._print(claim.step) if claim.step is not None else "")

    def dead_claim(self, claim) -> str:
        text = (r"\paragraph{Dead network.} " + self._print(claim.statement) + ".\n"
                rf"\emph{{Base case:}} {claim.base_identities} entries are exactly $0$ in the initial values: "
                rf"{_holds(claim.base_holds)}." + "\n"
                r"\emph{Inductive step:} from $\{W_i = 0,\ b_1, \dots, b_K = 0\}$, output bias free "
                r"(optimizer state alike):" + "\n" + self._print(claim.step))
        moves = claim.extra.get("output_bias", {})
        if moves.get("status") == "moves":
            name = moves["parameter"]
            text += (rf"${self.parameter(name)}$ does move: ${tex_text(moves['before'])} \to {tex_text(moves['after'])}$ "
                     rf"at ${self.point_tex(moves['point'])}$." + "\n")
        verdict = {"proved": "proved: the network never learns anything but its output bias",
                   "refuted": r"\textbf{refuted}", "undecided": r"\emph{undecided}"}[claim.verdict]
        return text + f"\n\\noindent Dead network: {verdict}.\n"

    # ------------------------------------------------------------ analyze

    def _print_Analysis(self, a) -> str:
        spec = a.spec
        parts = [rf"\noindent\textbf{{Network.}} {network_tex(spec)}; activation {tex_text(spec.activation)}, "
                 rf"loss {tex_text(spec.loss)}." + "\n\n"
                 rf"\noindent\textbf{{Initialization.}} \texttt{{{tex_text(a.init.name)}}} "
                 rf"({self._print(a.init.description())})." + "\n\n"
                 rf"\noindent\textbf{{Optimizer.}} {tex_text(a.optimizer.name)}: {self._print(a.optimizer.rule)}"
                 + (f" ({self._print(a.optimizer.note)})" if a.optimizer.note else "") + ".\n"]
        if spec.depth == 0:
            parts.append("\n" + r"\paragraph{No hidden layer ($K = 0$).} Linear, logistic or softmax regression." + "\n")
            for claim in a.regression:
                parts.append(rf"\paragraph{{Claim (to refute).}} When every weight starts at one constant $w$, "
                             rf"{self._print(claim.statement)}." + "\n" + self._print(claim.step))
            if not a.regression:
                parts.append("A single weight: nothing to compare.\n")
            parts += [rf"\paragraph{{Note.}} {self._print(n)}" + "\n" for n in a.notes]
            parts.append("\n" + r"\noindent\textbf{Verdict:} zero or constant initialization is fine here: "
                         + tex_text(regression_reason(a)) + "\n")
            return "".join(parts)
        rows = [rf"{layer} & {spec.widths[layer]} & {len(classes)} & ${tex_text(describe_classes(classes))}$ \\"
                for layer, classes in enumerate(a.partition.layers, 1)]
        parts.append("\n" + r"\paragraph{Twin classes} (units with equal incoming row, bias and outgoing column; "
                     "units numbered from 0):\n\\begin{center}\n\\begin{tabular}{rrrl}\n\\toprule\n"
                     r"layer & width & effective width & classes \\" + "\n\\midrule\n"
                     + "\n".join(rows) + "\n\\bottomrule\n\\end{tabular}\n\\end{center}\n")
        if a.twins is not None and a.twins.step is not None:
            parts.append(self.analysis_claim(a.twins, "a generic point of the tied subspace (one symbol per "
                                                      "block of tied entries; optimizer state tied alike)"))
        if a.numeric is not None:
            n = a.numeric
            parts.append(rf"\paragraph{{Numeric confirmation.}} Float training from the initial values ({n.runs} runs "
                         rf"$\times$ {n.steps} steps, random data): largest relative difference between twins "
                         rf"{sci(n.max_twin_difference)}, so "
                         + ("the twins stay equal." if n.twins_stay_equal else r"the twins \textbf{separate}.") + "\n")
        if a.dead is not None:
            parts.append(self.dead_claim(a.dead))
        parts += [rf"\paragraph{{Note.}} {self._print(n)}" + "\n" for n in a.notes]
        parts.append("\n" + analysis_verdict_tex(a) + "\n")
        return "".join(parts)

    # ------------------------------------------------------------ trace

    def witness_tex(self, witness) -> str:
        if witness is None:
            return ""
        # long decimals to 4 significant digits (the JSON output keeps them all)
        (value, rounded), (recheck, again) = (shorten_numbers(tex_text(v), tex=True)
                                              for v in (witness.value, witness.recheck or ""))
        relation = APPROX if rounded else "="
        value = value.replace(" vs ", r" \text{ vs } ")
        recheck = recheck.replace(" vs ", r" \text{ vs } ")
        text = rf"${self.witness_entry(witness)} {relation} {value}$"
        if witness.point:  # values at t = 0 need no data point
            text += rf" at ${self.point_tex(witness.point, trace=True)}$"
        if witness.recheck:
            text += (rf"; replayed: ${APPROX if again else '='} {recheck}$ "
                     + ("(confirmed)" if witness.rechecked else r"(\textbf{not confirmed})"))
        return text

    def invariant_row(self, invariant) -> str:
        """"$W^{[1]}$: all rows equal", from the invariant's parameter and property."""
        return rf"${self.parameter(invariant.parameter)}$: all {invariant.property[len('equal '):]} equal"

    def invariant_rows(self, invariants) -> str:
        return "\\begin{itemize}\n" + "".join(
            rf"  \item {self.invariant_row(inv.invariant)}: {STATUS_TEX.get(inv.status, tex_text(inv.status))}"
            + (f" ({self.witness_tex(inv.witness)})" if inv.witness else "") + "\n"
            for inv in invariants) + "\\end{itemize}\n"

    def groups_tex(self, names) -> str:
        return ", ".join(f"${self.parameter(n)}$" for n in names) or "none"

    def _print_TraceStep(self, step) -> str:
        text = (rf"\paragraph{{Step {step.step}.}} Zero gradient for every $x, y$: {self.groups_tex(step.zero_gradient)}. "
                rf"Moved: {self.groups_tex(step.moved) if step.moved else 'nothing'}." + "\n")
        movers = [g for g in step.groups if g.status in ("moves", UNDECIDED)]
        if movers:
            text += "\\begin{itemize}\n"
            for g in movers:
                if g.status == "moves":
                    equal = " (every entry by the same amount)" if g.equal_moves else ""
                    text += rf"  \item ${self.parameter(g.name)}$ moves{equal}: {self.witness_tex(g.witness)}" + "\n"
                else:
                    text += rf"  \item ${self.parameter(g.name)}$: \emph{{undecided}} ({tex_text(g.method)})" + "\n"
            text += "\\end{itemize}\n"
        text += ("Invariants after the step: " + ("all hold" if step.invariants_hold else r"\textbf{not all hold}")
                 + ":\n" + self.invariant_rows(step.invariants))
        return text

    def trace_table(self, t) -> str:
        rows = []
        for step in t.steps:
            rows.append(rf"{step.step} & {self.groups_tex(step.moved) if step.moved else 'nothing'} & "
                        rf"{self.groups_tex(step.zero_gradient)} & {'yes' if step.invariants_hold else 'no'} \\")
        return ("\\begin{center}\n\\begin{tabular}{rllc}\n\\toprule\n"
                r"step & moves & zero gradient (every $x, y$) & invariants hold \\" + "\n\\midrule\n"
                + "\n".join(rows) + "\n\\bottomrule\n\\end{tabular}\n\\end{center}\n")

    def _print_Trace(self, t) -> str:
        spec = t.spec
        initial = all(i.status == "holds" for i in t.initial_invariants)
        parts = [rf"\noindent\textbf{{Network.}} {network_tex(spec)}; activation {tex_text(spec.activation)}, "
                 rf"loss {tex_text(spec.loss)}." + "\n\n"
                 rf"\noindent\textbf{{Initialization.}} \texttt{{{tex_text(t.init.name)}}} "
                 rf"({self._print(t.init.description())})." + "\n\n"
                 r"\noindent\textbf{Optimizer.} Plain gradient descent, "
                 r"$\theta \leftarrow \theta - \eta\, \partial L/\partial \theta$." + "\n\n"
                 rf"\noindent\textbf{{Data.}} {self._print(t.data_note)}." + "\n",
                 self.trace_table(t),
                 r"\paragraph{Step 0 (initial values).} Invariants "
                 + ("hold" if initial else r"\textbf{do not all hold}") + ":\n" + self.invariant_rows(t.initial_invariants)]
        parts += [self._print(step) for step in t.steps]
        if t.dead is not None:
            parts.append(self.dead_claim(t.dead))
        return "".join(parts)


def _holds(holds: bool) -> str:
    return "hold" if holds else r"\textbf{fail}"


def analysis_verdict_tex(a) -> str:
    """``verdict_sentence(a)`` (the text's verdict sentence, one source) in LaTeX."""
    return r"\noindent" + "".join(_verdict_part_tex(part) for part in verdict_sentence(a))


def _verdict_part_tex(part) -> str:
    if isinstance(part, VerdictHead):
        if part.status is None:
            return r"\textbf{Verdict:}"
        return rf"\textbf{{Verdict: {part.status}{'' if part.status == UNDECIDED else '.'}}}"
    return STATUS_TEX[part] if isinstance(part, Status) else tex_text(part)
