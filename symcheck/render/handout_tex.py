"""The handout as LaTeX: prose around the computed objects of ``symcheck.handout``.

Every number, table entry and verdict below is read from a computed object;
the sentences only say what the objects show."""

from __future__ import annotations

import sympy as sp

from ..handout.cases import CaseTable
from ..handout.content import Handout
from ..handout.exercises import Exercises
from ..handout.training import CONSTANT_WEIGHT, RANDOM_STD, RULE_STEPS, STEPS
from ..handout.worked import WorkedStep
from ..patterns import RANDOM
from .latex import ACTIVATION_TEX, LOSS_TEX, SymcheckLatexPrinter
from .texutil import sci, standalone, tex_text

RULE_NAMES = {
    "sgd": "gradient descent (full batch)",
    "minibatch": "mini-batch SGD",
    "momentum": "momentum",
    "adam": "Adam (and RMSProp)",
    "weight_decay": "L2 weight decay",
    "dropout": "dropout",
    "per_unit_rates": "a different learning rate per unit",
    "one_unit_at_a_time": "updating units one at a time (Gauss--Seidel order)",
    "random_biases": "random first-layer biases",
}

RULE_REASONS = {
    "sgd": "each entry moves by $-\\eta$ times its own gradient; equal units have equal gradients",
    "minibatch": "every unit sees the same examples at each step, so the argument holds batch by batch",
    "momentum": "elementwise: the velocity of an entry starts at 0 and accumulates that entry's gradients",
    "adam": "elementwise: both moment estimates start at 0 and see equal gradients for equal units",
    "weight_decay": "the penalty's gradient $\\lambda W$ is equal for equal weights",
    "dropout": "the random mask silences some units and not others, so their gradients differ",
    "per_unit_rates": "equal gradients, unequal steps",
    "one_unit_at_a_time": "the second unit's gradient is computed after the first unit has moved",
    "random_biases": "the units differ from the start: the invariant fails at $t = 0$",
}

RUN_LABELS = {
    "constant": rf"constant ($W = {CONSTANT_WEIGHT}$, $b = 0$)",
    "zeros": r"zeros ($W = 0$, $b = 0$)",
    "random": rf"random ($W \sim \mathcal{{N}}(0, {RANDOM_STD}^2)$, $b = 0$)",
}


class HandoutPrinter(SymcheckLatexPrinter):
    """``SymcheckLatexPrinter`` plus the handout's objects."""

    # ------------------------------------------------------------ helpers

    def groups(self, names) -> str:
        return ", ".join(f"${self.parameter(n)}$" for n in names) or "nothing"

    # ------------------------------------------------------------ worked example

    def _print_WorkedStep(self, step: WorkedStep) -> str:
        spec = step.spec
        K = spec.depth
        result = step.result
        rows = []
        for i in range(1, K + 1):
            rows.append(rf"z{self.sup(i)} &= {self.matrix(result.forward.z[i - 1])}, & "
                        rf"h{self.sup(i)} &= {self.matrix(result.forward.h[i])}")
        rows.append(rf"o &= {self.matrix(result.forward.output)}, & "
                    rf"\delta{self.sup(K + 1)} &= {self.matrix(result.output_gradient)}")
        for i in range(K, 0, -1):
            rows.append(rf"\frac{{\partial L}}{{\partial h{self.sup(i)}}} &= "
                        rf"{self.matrix(result.hidden_gradients[i - 1])}, & "
                        rf"\delta{self.sup(i)} &= {self.matrix(result.deltas[i - 1])}")
        for name in spec.parameter_names:
            rows.append(rf"\frac{{\partial L}}{{\partial {self.parameter(name)}}} &= "
                        rf"{self.matrix(result.gradients[name])}, & "
                        rf"{self.parameter(name)} &\leftarrow {self.matrix(step.updated[name])}")
        body = "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n"
        check = (rf"The exact and the NumPy float64 gradients differ by at most {sci(step.numeric_difference)}."
                 if step.checked else r"\textbf{The NumPy cross-check disagrees.}")
        return body + check + "\n"

    def sup(self, layer) -> str:
        return self.layer("", layer)

    # ------------------------------------------------------------ case table

    def _print_CaseTable(self, table: CaseTable) -> str:
        steps = len(table.rows[0].steps)
        head = " & ".join(["case", "initialization"] + [f"step {t}" for t in range(1, steps + 1)]
                          + ["units tied after"])
        lines = []
        for row in table.rows:
            cells = [f"({row.label})", self.case_init(row)]
            for step in row.steps:
                moved = ", ".join(f"${self.parameter(n)}$" for n in step.moved) or "nothing"
                if step.unknown:
                    moved += r" (undecided: " + self.groups(step.unknown) + ")"
                cells.append(moved)
            tied = row.steps[-1].tied
            cells.append({True: f"step {steps}: yes", False: f"step {steps}: no",
                          None: "undecided"}[tied])
            lines.append(" & ".join(cells) + r" \\")
        column = "ll" + r">{\raggedright\arraybackslash}p{2.6cm}" * steps + "l"
        agree = ("In every cell the exact verdict agrees with a NumPy float64 run of the same steps."
                 if table.agrees else r"\textbf{The NumPy run disagrees with the exact verdict in some cell.}")
        return (
            "\\begin{center}\\small\n\\begin{tabular}{" + column + "}\n\\toprule\n" + head + r" \\" + "\n\\midrule\n"
            + "\n".join(lines) + "\n\\bottomrule\n\\end{tabular}\n\\end{center}\n" + agree + "\n"
        )

    def case_init(self, row) -> str:
        return ", ".join(f"${key}$ random" if value == RANDOM else f"${key} = {self._print(sp.Rational(value))}$"
                         for key, value in row.init.items)

    # ------------------------------------------------------------ the document

    def _print_Handout(self, handout: Handout) -> str:
        return "".join(section(self, handout) for section in SECTIONS)


def _intro(p: HandoutPrinter, h: Handout) -> str:
    spec = h.spec
    shapes = ", ".join(f"${p.layer('W', i)}$ is ${spec.weight_shape(i)[0]} \\times {spec.weight_shape(i)[1]}$"
                       for i in spec.layers)
    return rf"""\section*{{Why not start every weight at 0?}}
Logistic regression trains happily from all-zero weights. A neural network with hidden units does not:
if every weight starts at the same value, the hidden units of a layer compute the same thing, receive the
same gradient, take the same step --- and stay copies of each other for ever. This handout shows why,
first with numbers on a small network, then as a theorem with a proof, and then what to do instead.
Everything below was computed by \texttt{{symcheck}}: the equations are the ones it derived and checked,
the tables come from exact arithmetic confirmed by an independent NumPy computation.

\paragraph{{The network.}} ${p.layer('W', 'i')}$ has one row per unit of layer $i$, so for the
{tex_text(spec.name).replace('-', '--')} network of this handout
{shapes}.
"""


def _derivation(p: HandoutPrinter, h: Handout) -> str:
    return r"\section{Backpropagation, derived}" + "\n" + p._print(h.derivation)


def _worked(p: HandoutPrinter, h: Handout) -> str:
    spec = h.worked_spec
    first, second = h.worked
    x = ", ".join(map(str, first.x))
    y = ", ".join(map(str, first.y))
    note = "" if spec == h.spec else (
        r"(The handout's network is too large to do by hand; the example uses the 2--2--1 network with the "
        r"same activation and the cross-entropy loss.) ")
    K = spec.depth
    last = f"W{K + 1}"
    rows_equal = "equal" if first.rows_equal("W1") else "different"
    return rf"""\section{{One gradient step by hand}}
{note}Start the {tex_text(spec.name).replace('-', '--')} network with every weight and bias at $0$, take
the example $x = ({x})$ with target $y = ({y})$ and the learning rate $\eta = {p._print(first.learning_rate)}$.
Every quantity below is exact.

\paragraph{{Step 1.}}
{p._print(first)}
The hidden units all see $z = 0$, so they output the same value; the output layer's gradient has
equal columns, and because ${p.parameter(last)} = 0$ nothing flows back:
after step 1 the moved groups are {p.groups(h.cases.rows[0].steps[0].moved)}, and the rows of
${p.parameter('W1')}$ are still {rows_equal}.

\paragraph{{Step 2.}} {_second_step_sentence(p, first, second, last)}
\begin{{align*}}
\frac{{\partial L}}{{\partial {p.parameter('W1')}}} &= {p.matrix(second.result.gradients['W1'])}, &
{p.parameter('W1')} &\leftarrow {p.matrix(second.updated['W1'])}
\end{{align*}}
{_second_step_outcome(second)}
"""


def _second_step_sentence(p: HandoutPrinter, first: WorkedStep, second: WorkedStep, last: str) -> str:
    """What step 2 can pass back, read from the values after step 1."""
    if first.moved(last):
        return (rf"Now ${p.parameter(last)} \neq 0$, so the hidden layers can receive a gradient "
                r"--- the same one for every unit:")
    return (rf"${p.parameter(last)}$ is still $0$ after step 1 (the hidden units output "
            r"$\sigma(0) = 0$, so its gradient was $0$): nothing flows back to the hidden layers at step 2 either.")


def _second_step_outcome(second: WorkedStep) -> str:
    """What step 2 did to the first layer, read from its gradient."""
    if not second.moved("W1"):
        return (r"The gradient is zero: the first layer has not moved, and from here gradient descent "
                r"never moves it --- the network is dead, every unit a copy of the others.")
    if second.rows_equal("W1"):
        return r"The rows are identical entry for entry: the units have moved, together."
    return r"\textbf{The rows differ} --- this contradicts the theorem below and is reported as an error."


def _cases(p: HandoutPrinter, h: Handout) -> str:
    table = h.cases
    x = ", ".join(map(str, table.x))
    return rf"""\section{{What moves, and when: three initializations}}
The same network and example ($x = ({x})$, $y = ({", ".join(map(str, table.y))})$, $\eta = {p._print(table.learning_rate)}$),
three starting points. A group is listed when its update is provably nonzero (decided exactly, with
sigmoid values kept symbolic); the last column says whether the hidden units are still exact copies
(every row of ${p.parameter('W1')}$ equal, every entry of ${p.parameter('b1')}$ equal, every column of the
next weight matrix equal). Random values are seeded rationals $k/100$.
{p._print(table)}
{_trace_sentence(table)}
In case (a) the units are tied for ever (that is the theorem below); random biases (b) or random
weights (c) make the units different from the start, and training can use them.
"""


def _trace_sentence(table: CaseTable) -> str:
    if table.trace_agrees and all(table.trace_agrees):
        return ("Each row was also traced with a symbolic example at every step and a symbolic learning rate "
                "(\\texttt{symcheck trace}): what is zero there is zero for every input, and the table agrees "
                "with it.")
    return r"\textbf{The symbolic trace (every input, every learning rate) disagrees with some row of this table.}"


def _theorem(p: HandoutPrinter, h: Handout) -> str:
    W = p.layer("W", "i")
    b = p.layer("b", "i")
    return rf"""\section{{The theorem and its proof}}
\paragraph{{Theorem.}} Take an MLP with $K \ge 1$ hidden layers. If every ${W}$ and every ${b}$ starts
constant (each group its own constant), then after any number of gradient-descent steps, on any data:
for $i = 1, \dots, K$ all rows of ${W}$ are equal and all entries of ${b}$ are equal, and for
$i = 2, \dots, K+1$ all columns of ${W}$ are equal. So the $K$ hidden layers act like $K$ layers of width 1.

\paragraph{{Why.}} Induction on the step $t$. At $t = 0$ the claims hold. If they hold at step $t$, the
forward pass gives equal entries in every $h{p.sup('i')}$; backwards, equation (3) with equal columns gives
equal entries in every $\partial L/\partial h{p.sup('i')}$, so by (1) and (2) the gradient of every group has the
same structure as the group itself. The set of parameters with this structure is a linear subspace, so
$\theta - \eta\,\partial L/\partial\theta$ stays in it.

\paragraph{{Machine-checked for the network of this handout.}} \texttt{{symcheck}} carried out this
induction for the {tex_text(h.spec.name).replace('-', '--')} network with symbolic constants, a symbolic
example and a symbolic learning rate:

{p._print(h.proof)}

\paragraph{{For every depth and every width.}} The proof above is for one network. The appendix
(page~\pageref{{sec:general}}) proves the theorem once for all of them: every width and the batch size are
symbols, the activation and the loss are uninterpreted, and a generic middle layer stands for every depth.
It is a chain of {len(h.general.lemmas)} numbered lemmas, each machine-checked (verdict: {tex_text(h.general.verdict)}).
"""


def _general(p: HandoutPrinter, h: Handout) -> str:
    return (r"\clearpage" + "\n" + r"\appendix" + "\n" + r"\section{The general proof, lemma by lemma}\label{sec:general}"
            + "\n" + r"Every lemma below was checked by \texttt{symcheck prove --general}: the entry $X_{ij}$ of each "
            r"quantity is computed by SymPy at symbolic indices $i, j$ (indices from $0$), and the structure "
            r"claimed is read off from which indices it mentions." + "\n" + p._print(h.general))


def _logistic(p: HandoutPrinter, h: Handout) -> str:
    step = h.logistic
    x = ", ".join(map(str, step.x))
    differ = "differ" if step.distinct_entries("W1") else "are still equal"
    return rf"""\section{{Why logistic regression may start at 0}}
Logistic regression ($K = 0$: no hidden layer) has no units that could be interchangeable; the theorem
asserts nothing. Each weight's gradient is $(\operatorname{{sigmoid}}(o) - y)\,x_j$: it depends on its own
input, not on the other weights. From $W = 0$, $b = 0$ with $x = ({x})$, $y = 1$ and $\eta = {p._print(step.learning_rate)}$:
\[
{p.parameter('W1')} \leftarrow {p.matrix(step.updated['W1'])}, \qquad
{p.parameter('b1')} \leftarrow {p.matrix(step.updated['b1'])},
\]
and the weights {differ} after one step whenever the inputs differ.
"""


def _rules(p: HandoutPrinter, h: Handout) -> str:
    lines = []
    for outcome in h.rules:
        verdict = "keeps" if outcome.keeps else r"\textbf{breaks}"
        lines.append(rf"{RULE_NAMES[outcome.name]} & {verdict} & {sci(outcome.max_row_difference)} & "
                     rf"{RULE_REASONS[outcome.name]} \\")
    table_lines = "\n".join(lines)
    return rf"""\section{{Which training rules keep the symmetry}}
The proof needs only one property of the update: two entries with equal values and equal gradients
(and equal optimizer state) receive equal updates. Every \emph{{elementwise}} rule has it; anything that
treats units differently breaks the tie. The second column is \texttt{{symcheck analyze}}'s verdict for the
2--2--1 network with sigmoid units and cross-entropy loss, from $W = \tfrac12$, $b = 0$ (\emph{{keeps}}: proved
for every step; \emph{{breaks}}: a counterexample, re-checked independently, or units that differ from the start).
The third column is measured: {RULE_STEPS} float steps of the same rule, largest difference between
two rows of ${p.parameter('W1')}$ (exactly $0$ means the units are still bitwise copies).
\begin{{center}}\small
\begin{{tabular}}{{>{{\raggedright\arraybackslash}}p{{3.6cm}}lr>{{\raggedright\arraybackslash}}p{{5.8cm}}}}
\toprule
rule & symmetry & row difference & why \\
\midrule
{table_lines}
\bottomrule
\end{{tabular}}
\end{{center}}
Breaking the tie this way is not a cure: the units start almost equal and need many steps to separate.
Random initialization is the standard remedy.

\paragraph{{Tied without equal weights.}} Equal weights are sufficient for a tie, not necessary. If every
unit of a layer has the same bias, the same \emph{{sum}} of incoming weights from each group of tied units
below and the same sum of outgoing weights into each group above, the units still compute the same value
and receive the same backpropagated signal for every input: a square middle layer holding the identity, or
a magic square (equal row and column sums, no symmetry at all), between two constant layers trains like
a layer of width~1. Any elementwise rule that is linear in the weight itself (plain steps, momentum, Adam,
decoupled weight decay) keeps such sums equal; Adam with an L2 term added to the gradient does not, because
the weight then passes through the per-entry normalization. Exercise~5 works one case out.
"""


def _scales(p: HandoutPrinter, h: Handout) -> str:
    rows = []
    for s in h.scales:
        rows.append(rf"${p.parameter(f'W{s.layer}')}$ & {s.fan_in} & {s.fan_out} & ${p._print(s.lecun)}$ & "
                    rf"${p._print(s.xavier)}$ & ${p._print(s.he)}$ \\")
    sat = h.saturation
    act = ACTIVATION_TEX.get(sat[0].activation, sat[0].activation)
    sat_rows = " \\\\\n".join(rf"{s.std:g} & {s.mean_slope:.3f}" for s in sat)
    table_rows = "\n".join(rows)
    return rf"""\section{{What to do instead: small random values, scaled}}
Random initial values make the units different at $t = 0$, so the theorem no longer applies. Two
things matter about their size.

\paragraph{{Not too large.}} With sigmoid or tanh units a large weight makes $|z|$ large, where the
activation is flat and $\sigma'(z) \approx 0$: every gradient through the unit almost vanishes. The
classic advice is therefore $W = 0.01 \cdot \mathcal{{N}}(0, 1)$ for a small network, with $b = 0$ (the biases
need no randomness: the weights already break the tie). Measured for ${act}$ units with {sat[0].fan_in}
inputs $x \sim \mathcal{{N}}(0, 1)$: the mean slope $\sigma'(z)$, relative to $\sigma'(0)$, by the standard
deviation of the weights:
\begin{{center}}\small
\begin{{tabular}}{{rr}}
\toprule
std of $W$ & mean $\sigma'(z)/\sigma'(0)$ \\
\midrule
{sat_rows} \\
\bottomrule
\end{{tabular}}
\end{{center}}

\paragraph{{Scaled to the layer.}} In deep networks a fixed $0.01$ makes activations shrink layer by
layer. The scaled schemes choose $\operatorname{{Var}}(W)$ so that the variance of activations (forward) and of
gradients (backward) stays the same across layers: LeCun $1/\text{{fan}}_\text{{in}}$ (for tanh-like
units), Xavier/Glorot $2/(\text{{fan}}_\text{{in}} + \text{{fan}}_\text{{out}})$ (a compromise between the
forward and the backward condition), He $2/\text{{fan}}_\text{{in}}$ (ReLU zeroes half of its inputs,
so the variance is doubled). For the network of this handout ($\text{{fan}}_\text{{in}}$ is the number of
columns of ${p.layer('W', 'i')}$):
\begin{{center}}\small
\begin{{tabular}}{{lrrccc}}
\toprule
layer & fan$_\text{{in}}$ & fan$_\text{{out}}$ & LeCun $\operatorname{{Var}}$ & Xavier $\operatorname{{Var}}$ & He $\operatorname{{Var}}$ \\
\midrule
{table_rows}
\bottomrule
\end{{tabular}}
\end{{center}}

\subsection{{Where the scales come from}}
Each rule is derived by SymPy (an expectation, an integral, a \texttt{{solve}}) and the derivation checks its
own result; the table above takes its factors from these derivations. Setting:
$z_i = W_i h_{{i-1}}$ with biases $0$ at initialization, the entries of $W_i$ i.i.d.\ with mean $0$,
$\mathrm{{fan}}_{{\mathrm{{in}}}} = n_{{i-1}}$ and $\mathrm{{fan}}_{{\mathrm{{out}}}} = n_i$.
{"".join(p._print(d) for d in h.variance)}"""


def _figures(p: HandoutPrinter, h: Handout) -> str:
    runs = {run.label: run for run in h.runs}
    stem = "\\symcheckfigures"
    spec = h.spec
    return rf"""\section{{Training, measured}}
Full-batch gradient descent ({STEPS} steps, NumPy) on a small XOR-like task that a single hidden unit
cannot solve, for the {tex_text(spec.name).replace('-', '--')} network with
${ACTIVATION_TEX.get(spec.activation, spec.activation)}$ hidden units and loss {LOSS_TEX[spec.loss]}.
Figure~\ref{{fig:weights}} follows the weight from input 1 into each hidden unit: from the constant
start the units' curves lie on top of each other for the whole run (rows of ${p.parameter('W1')}$ exactly equal
at every step: {'yes' if runs['constant'].rows_equal else 'no'}); from a random start they separate.
Figure~\ref{{fig:loss}} shows what that costs: final mean loss {runs['constant'].final_loss:.4f} (constant),
{runs['zeros'].final_loss:.4f} (zeros), {runs['random'].final_loss:.4f} (random).
\begin{{figure}}[h]
\centering
\includegraphics[width=\textwidth]{{{stem}-weights.pdf}}
\caption{{Weight from input 1 into each hidden unit over training: constant start (left; the units
coincide) and random start (right).}}
\label{{fig:weights}}
\end{{figure}}
\begin{{figure}}[h]
\centering
\includegraphics[width=0.62\textwidth]{{{stem}-loss.pdf}}
\caption{{Mean training loss: {RUN_LABELS['constant']}, {RUN_LABELS['zeros']} and {RUN_LABELS['random']}.}}
\label{{fig:loss}}
\end{{figure}}
"""


def _exercises(p: HandoutPrinter, h: Handout) -> str:
    return exercises_tex(p, h.exercises)


SECTIONS = (_intro, _derivation, _worked, _cases, _theorem, _logistic, _rules, _scales, _figures, _general,
            _exercises)


def exercises_tex(p: HandoutPrinter, e: Exercises) -> str:
    sym = e.symmetry.step
    a = sym.params["W2"][0][0]
    beta = sym.params["b2"][0]
    x = ", ".join(map(str, sym.x))
    log = e.logistic.step
    lx = ", ".join(map(str, log.x))
    sc = e.scaling.scales
    rules = e.rules.rules
    questions = rf"""\clearpage
\section*{{Exercises (instance {e.seed})}}
\begin{{enumerate}}
\item \textbf{{A step from a constant start.}} A 2--2--1 network has sigmoid hidden units and the squared
error $L = \tfrac12 (o - y)^2$ with identity output. It starts at ${p.parameter('W1')} = 0$,
${p.parameter('b1')} = 0$, ${p.parameter('W2')} = ({p._print(a)}, {p._print(a)})$, ${p.parameter('b2')} = {p._print(beta)}$.
For the example $x = ({x})$, $y = {sym.y[0]}$ and $\eta = {p._print(sym.learning_rate)}$:
(a) compute $h{p.sup(1)}$, $o$ and $\delta{p.sup(2)}$;
(b) compute $\partial L/\partial {p.parameter('W2')}$, $\delta{p.sup(1)}$ and $\partial L/\partial {p.parameter('W1')}$;
(c) write down all parameters after one step. Are the rows of ${p.parameter('W1')}$ equal? Explain why
they will stay equal.
\item \textbf{{Logistic regression from zero.}} Logistic regression with three inputs starts at $W = 0$,
$b = 0$. One gradient step of the cross-entropy loss on $x = ({lx})$, $y = {log.y[0]}$ with
$\eta = {p._print(log.learning_rate)}$: what are $W$ and $b$ afterwards? Are the weights still equal?
\item \textbf{{Scaled initialization.}} A dense layer has $\text{{fan}}_\text{{in}} = {sc.fan_in}$ and
$\text{{fan}}_\text{{out}} = {sc.fan_out}$. Give the standard deviation of normal LeCun, Xavier and He
initialization, exactly and to four digits.
\item \textbf{{Keep or break?}} Starting from constant weights, which of these keep the hidden units of a
layer identical for ever, and why? {"; ".join(f"({chr(97 + k)}) {RULE_NAMES[r.name]}" for k, r in enumerate(rules))}.
{_functional_question(p, e.functional)}\end{{enumerate}}
"""
    result = sym.result
    answers = rf"""\clearpage
\section*{{Answer key (instance {e.seed})}}
Computed exactly by \texttt{{symcheck}}; entry by entry, the gradients of exercise~1 differ from NumPy by at
most {sci(sym.numeric_difference)} and from central finite differences by at most
{sci(e.symmetry.finite_difference_error)} (relative).
\begin{{enumerate}}
\item (a) $h{p.sup(1)} = {p.matrix(result.forward.h[1])}$ (since $\operatorname{{sigmoid}}(0) = \tfrac12$),
$o = {p._print(result.forward.output[0])}$, $\delta{p.sup(2)} = o - y = {p._print(result.output_gradient[0])}$.
(b) $\partial L/\partial {p.parameter('W2')} = {p.matrix(result.gradients['W2'])}$,
$\delta{p.sup(1)} = {p.matrix(result.deltas[0])}$ (using $\operatorname{{sigmoid}}'(0) = \tfrac14$),
$\partial L/\partial {p.parameter('W1')} = {p.matrix(result.gradients['W1'])}$.
(c) ${p.parameter('W1')} = {p.matrix(sym.updated['W1'])}$, ${p.parameter('b1')} = {p.matrix(sym.updated['b1'])}$,
${p.parameter('W2')} = {p.matrix(sym.updated['W2'])}$, ${p.parameter('b2')} = {p.matrix(sym.updated['b2'])}$.
The rows of ${p.parameter('W1')}$ are {'equal' if sym.rows_equal('W1') else 'not equal'}: both hidden units
had the same input weights, the same bias and the same outgoing weight, so they received the same gradient;
by induction they stay equal at every later step.
\item $W = {p.matrix(log.updated['W1'])}$, $b = {p.matrix(log.updated['b1'])}$: each weight moved by
$-\eta(\tfrac12 - y)\,x_j$, so the weights {'differ' if log.distinct_entries('W1') else 'are equal'} ---
zero initialization is harmless here.
\item LeCun $\sqrt{{1/{sc.fan_in}}} = {p._print(sp.sqrt(sc.lecun))} \approx {float(sp.sqrt(sc.lecun)):.4f}$;
Xavier $\sqrt{{2/({sc.fan_in} + {sc.fan_out})}} = {p._print(sp.sqrt(sc.xavier))} \approx {float(sp.sqrt(sc.xavier)):.4f}$;
He $\sqrt{{2/{sc.fan_in}}} = {p._print(sp.sqrt(sc.he))} \approx {float(sp.sqrt(sc.he)):.4f}$
(200\,000 samples at each scale give standard deviations {", ".join(f"{v:.4f}" for v in e.scaling.sampled_std.values())}).
\item {"; ".join(f"({chr(97 + k)}) {'keeps' if r.keeps else 'breaks'}: {RULE_REASONS[r.name]}" for k, r in enumerate(rules))}.
(Each verdict proved or refuted by \texttt{{symcheck analyze}}; {RULE_STEPS} float steps agree: exact equality of the
rows of ${p.parameter('W1')}$ or not.)
{_functional_answer(p, e.functional)}\end{{enumerate}}
"""
    return questions + answers


def _functional_question(p: HandoutPrinter, f) -> str:
    if f is None:
        return ""
    return rf"""\item \textbf{{Tied without equal weights.}} A 2--3--3--1 network with tanh units starts with every row of
${p.parameter('W1')}$ equal to $({p._print(f.W1_row[0])}, {p._print(f.W1_row[1])})$, all biases $0$,
${p.parameter('W2')} = {p.matrix(f.W2)}$ and every entry of ${p.parameter('W3')}$ equal to ${p._print(f.W3_entry)}$.
(a) Are any two hidden units twins (equal incoming row, bias and outgoing column)?
(b) Show that the three units of layer~2 have the same pre-activation for every input, and the three units
of layer~1 the same backpropagated $\delta$.
(c) What smaller network does this one train like under gradient descent? Does Adam with an L2 term added
to the gradient keep the tie?
"""


def _functional_answer(p: HandoutPrinter, f) -> str:
    if f is None:
        return ""
    return rf"""\item (a) No: every row and column of ${p.parameter('W2')}$ is different, so no two units of either layer are
twins (effective widths {f.twin_widths[0]} and {f.twin_widths[1]}).
(b) The units of layer~1 all compute the same $h$, so unit $p$ of layer~2 gets
$z_p = \sum_k {p.parameter('W2')}[p,k]\,h = {p._print(f.quotient_W2)}\,h$: every row sums to ${p._print(f.quotient_W2)}$.
Backwards, unit $k$ of layer~1 gets $\sum_r {p.parameter('W2')}[r,k]\,\delta = {p._print(f.quotient_W2)}\,\delta$ times the
same $\tanh'$: every column sums to ${p._print(f.quotient_W2)}$ too.
(c) A 2--1--1--1 network with middle weight ${p._print(f.quotient_W2)}$: \texttt{{symcheck analyze}} finds functional widths
{f.functional_widths[0]} and {f.functional_widths[1]}, proves that plain steps, Adam and AdamW keep the sums equal
({f.keeps['sgd']}, {f.keeps['adam']}, {f.keeps['adamw']}), and {f.keeps['adam_l2']} Adam with coupled L2 with an exact
counterexample. Trained side by side for {f.steps} steps, the two networks' losses differ by at most
{sci(f.loss_difference)} (relative).
"""


def handout_tex(handout: Handout, figure_stem: str, **settings) -> str:
    """The complete handout; figures are read from ``<figure_stem>-weights.pdf`` and ``-loss.pdf``."""
    printer = HandoutPrinter(settings)
    body = printer._print(handout)
    title = "Why not start every weight at 0? The symmetry problem of neural-network initialization"
    return standalone(body, title, "\\newcommand{\\symcheckfigures}{" + figure_stem + "}\n")
