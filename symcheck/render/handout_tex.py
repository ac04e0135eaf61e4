"""The handout as LaTeX: prose around the computed objects of ``symcheck.handout``.

Every number, table entry and verdict below is read from a computed object;
the sentences only say what the objects show."""

from __future__ import annotations

import sympy as sp

from ..errors import HandoutUndecided
from ..exact.evaluation import float_values
from ..exact.verdict import PROVED, UNDECIDED
from .latex import ACTIVATION_TEX, LOSS_TEX, SymcheckLatexPrinter
from .texutil import approx, sci, standalone, tex_text

RULE_NAMES = {
    "sgd": "gradient descent (full batch)",
    "minibatch": "mini-batch SGD",
    "momentum": "momentum",
    "adam": "Adam (and RMSProp)",
    "weight_decay": "L2 weight decay",
    "dropout": "dropout",
    "per_unit_rates": "a different learning rate per unit",
    "nesterov": "Nesterov momentum",
    "rmsprop": "RMSProp",
    "adamw": "AdamW (decoupled weight decay)",
    "clip": "gradient clipping by the global norm",
    "noise": "adding random noise to every weight after each step",
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
    "nesterov": "elementwise: like momentum, the look-ahead term is built from the entry's own gradients",
    "rmsprop": "elementwise: each entry is divided by the root of its own running mean of squared gradients",
    "adamw": "elementwise: Adam's step plus $\\eta\\lambda\\theta$, equal for equal weights",
    "clip": "the whole gradient is multiplied by one number, so equal entries stay equal",
    "noise": "independent noise gives the two units different values",
}

def run_labels(h: Handout) -> dict[str, str]:
    """The training runs' starts, as the figure captions name them."""
    return {
        "constant": rf"constant ($W = {h.constant_weight}$, $b = 0$)",
        "zeros": r"zeros ($W = 0$, $b = 0$)",
        "random": rf"random ($W \sim \mathcal{{N}}(0, {h.random_std}^2)$, $b = 0$)",
    }


class HandoutPrinter(SymcheckLatexPrinter):
    """``SymcheckLatexPrinter`` plus the handout's objects."""

    # ------------------------------------------------------------ helpers

    def delta(self, layer) -> str:
        return self.layer(r"\delta", layer)

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
        return body + numpy_sentence(step) + "\n"

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
            for step in row.steps:  # content.verify has made sure no cell is undecided
                cells.append(", ".join(f"${self.parameter(n)}$" for n in step.moved) or "nothing")
            tied = row.steps[-1].tied
            cells.append({True: f"step {steps}: yes", False: f"step {steps}: no",
                          None: UNDECIDED}[tied])
            lines.append(" & ".join(cells) + r" \\")
        column = "ll" + r">{\raggedright\arraybackslash}p{2.6cm}" * steps + "l"
        agree = "In every cell the exact verdict agrees with a NumPy float64 run of the same steps."
        return (
            "\\begin{center}\\small\n\\begin{tabular}{" + column + "}\n\\toprule\n" + head + r" \\" + "\n\\midrule\n"
            + "\n".join(lines) + "\n\\bottomrule\n\\end{tabular}\n\\end{center}\n" + agree + "\n"
        )

    def random_values(self, table: CaseTable) -> str:
        """The drawn values of the random groups, row by row, so cases (b), (c) can be redone by hand."""
        parts = []
        for row in table.rows:
            keys = row.init.random_keys
            if not keys:
                continue
            values = row.init.values(table.spec)
            shown = [rf"{self.parameter(name)} = {self.matrix(values[name])}"
                     for name in table.spec.parameter_names if _drawn(name, keys)]
            parts.append(rf"&\text{{case ({row.label}):}} && {', '.join(shown)}")
        return "\\begin{align*}\n" + " \\\\\n".join(parts) + "\n\\end{align*}\n"

    def approx_matrix(self, value) -> str:
        """An exact matrix whose entries are long expressions, as floats to 4 significant digits."""
        (array,) = float_values({"value": value}).values()
        rows = array if array.ndim == 2 else array[:, None]
        body = r" \\ ".join(" & ".join(f"{v:.4g}" for v in row) for row in rows)
        return r"\approx \begin{pmatrix}" + body + r"\end{pmatrix}"

    def case_init(self, row) -> str:
        return ", ".join(f"${key}$ random" if key in row.init.random_keys else f"${key} = {self._print(sp.Rational(value))}$"
                         for key, value in row.init.items)

    # ------------------------------------------------------------ the document




def _drawn(name: str, keys) -> bool:
    """Is the group ``name`` ("W2") drawn at random by a pattern with these keys ("W", "b2", ...)?"""
    return name in keys or name[0] in keys


def numpy_sentence(step: WorkedStep) -> str:
    """The independent check of a worked step, said as what it found (content.verify has made sure
    it agrees)."""
    if step.numeric_difference == 0:
        return "An independent NumPy float64 computation gives the same gradients."
    return (r"An independent NumPy float64 computation gives the same gradients up to rounding "
            rf"(largest difference {sci(step.numeric_difference)}).")


def network_name(spec) -> str:
    return tex_text(spec.name).replace("-", "--")


def loss_name(loss: str) -> str:
    return {"bce": "binary cross-entropy (sigmoid output)", "ce": "cross-entropy (softmax output)",
            "mse": "squared error (identity output)"}[loss]


def hidden_layers(spec) -> str:
    """'one hidden layer of 2 units' / '2 hidden layers of 4 and 4 units'."""
    widths = spec.hidden_widths
    if len(widths) == 1:
        return f"one hidden layer of {widths[0]} units"
    return f"{len(widths)} hidden layers of {', '.join(map(str, widths[:-1]))} and {widths[-1]} units"


def act_tex(activation: str) -> str:
    return ACTIVATION_TEX.get(activation, tex_text(activation))


DELTA = r"\delta"


def comp(p: HandoutPrinter, letter: str, layer, index: str) -> str:
    """Entry ``index`` of a vector: b^{[1]}_{r} or (b_{1})_{r} (never a double subscript)."""
    return p.entry(letter, layer, 0).replace("{" + p.indices(0) + "}", "{" + index + "}")


def rc(p: HandoutPrinter, letter: str, layer) -> str:
    """W^{[i]}_{rc}: row r, column c, letters that never clash with the layer index i."""
    return p.entry(letter, layer, 0, 0).replace("{" + p.indices(0, 0) + "}", "{rc}")


# ------------------------------------------------------------------ sections of the body

def _intro(p: HandoutPrinter, h: Handout) -> str:
    spec = h.spec
    shapes = ", ".join(f"${p.layer('W', i)}$ is ${spec.weight_shape(i)[0]} \\times {spec.weight_shape(i)[1]}$"
                       for i in spec.layers)
    W, b, hh, z = (p.layer(letter, "i") for letter in ("W", "b", "h", "z"))
    delta = p.layer(r"\delta", "i")
    K1 = p.layer("W", "K+1")
    return rf"""Logistic regression trains happily from all-zero weights. A neural network with hidden units does not:
if every weight starts at the same value, the hidden units of a layer compute the same thing, receive the
same gradient, take the same step --- and stay copies of each other for ever. This handout shows why,
first with numbers on a small network, then as a theorem with a proof, and then what to do instead.
Every number, table and figure below was computed by \texttt{{symcheck}} in exact arithmetic where
possible and confirmed by an independent NumPy computation.

\paragraph{{Notation.}} The network has input $x = {p.layer('h', 0)}$, hidden layers $i = 1, \dots, K$ and
output $o$:
\begin{{gather*}}
{z} = {W} {p.layer('h', 'i-1')} + {b}, \qquad {hh} = \sigma({z}) \qquad (i = 1, \dots, K), \\
o = {K1} {p.layer('h', 'K')} + {p.layer('b', 'K+1')}, \qquad L = \ell(o, y).
\end{{gather*}}
${W}$ has one row per unit of layer $i$: its entry ${rc(p, 'W', 'i')}$ is the weight from unit $c$ of
layer $i-1$ into unit $r$ of layer $i$ (rows and columns are counted from 1). For the
{network_name(spec)} network of this handout, {shapes}. With ${delta} = \partial L/\partial {z}$ and
$\odot$ the entrywise product, backpropagation is three equations:
\begin{{align}}
\frac{{\partial L}}{{\partial {W}}} &= {delta}\, {{{p.layer('h', 'i-1')}}}^{{\top}}, \label{{eq:dW}}\\
\frac{{\partial L}}{{\partial {b}}} &= {delta} = \frac{{\partial L}}{{\partial {hh}}} \odot \sigma'({z}),
\label{{eq:db}}\\
\frac{{\partial L}}{{\partial {p.layer('h', 'i-1')}}} &= {{{W}}}^{{\top}} {delta}. \label{{eq:dh}}
\end{{align}}
"""


def _derivation(p: HandoutPrinter, h: Handout) -> str:
    return (r"\section{Backpropagation for this network}" + "\n"
            + r"Equations (\ref{eq:dW})--(\ref{eq:dh}) written out for the " + network_name(h.spec)
            + " network; the tag at the right of each line names the equation it instantiates.\n\n"
            + p._print(h.derivation))


def _worked(p: HandoutPrinter, h: Handout) -> str:
    spec = h.worked_spec
    first, second = h.worked
    x = ", ".join(map(str, first.x))
    y = ", ".join(map(str, first.y))
    note = "" if spec == h.spec else (
        rf"(The {network_name(h.spec)} network is too large to do by hand; this section uses the 2--2--1 network "
        rf"with the same hidden activation ${act_tex(spec.activation)}$ and the {loss_name(spec.loss)} loss.) ")
    last = f"W{spec.depth + 1}"
    rows_equal = "equal" if first.rows_equal("W1") else "different"
    moved = h.cases.rows[0].steps[0].moved
    flows = (rf"because ${p.parameter(last)} = 0$ nothing flows back to the hidden layer" if spec.depth == 1
             else rf"because ${p.parameter(last)} = 0$ nothing flows back to the hidden layers")
    return rf"""\section{{One gradient step by hand}}
{note}Start the {network_name(spec)} network with every weight and bias at $0$, take
the example $x = ({x})$ with target $y = ({y})$ and the learning rate $\eta = {p._print(first.learning_rate)}$.
Every quantity below is exact.

\paragraph{{Step 1.}}
{p._print(first)}
The hidden units all see $z = 0$, so they output the same value; {flows}:
after step 1 the groups that moved are {p.groups(moved)}, and the rows of
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
        return (rf"Now ${p.parameter(last)} \neq 0$, so the hidden layer can receive a gradient "
                r"--- the same one for every unit:")
    act = act_tex(first.spec.activation)
    return (rf"${p.parameter(last)}$ is still $0$ after step 1 (the hidden units output "
            rf"${act}(0) = 0$, so its gradient was $0$): nothing flows back to the hidden layer at step 2 either.")


def _second_step_outcome(second: WorkedStep) -> str:
    """What step 2 did to the first layer, read from its gradient."""
    if not second.moved("W1"):
        return (r"The gradient is zero: the first layer has not moved, and from here gradient descent "
                r"never moves it --- the network is dead, every unit a copy of the others.")
    if second.rows_equal("W1"):
        return r"The rows are identical entry for entry: the units have moved, together."
    raise HandoutUndecided("worked example, step 2: the rows of W1 differ, against the theorem")


def _cases(p: HandoutPrinter, h: Handout) -> str:
    table = h.cases
    x = ", ".join(map(str, table.x))
    return rf"""\section{{What moves, and when: three initializations}}
The same network and example ($x = ({x})$, $y = ({", ".join(map(str, table.y))})$, $\eta = {p._print(table.learning_rate)}$),
three starting points. A group is listed when its update is provably nonzero, decided in exact
arithmetic (irrational values such as $e^{{-1}}$ are kept as exact symbols and evaluated to 60 digits
only to tell a clearly nonzero value from $0$); the last column says whether the hidden units are still exact
copies (every row of ${p.parameter('W1')}$ equal, every entry of ${p.parameter('b1')}$ equal, every column of
${p.parameter('W2')}$ equal). The random values are seeded fractions $k/100$; to redo a row by hand, use
{p.random_values(table)}
{p._print(table)}
{_trace_sentence(table)}
{_case_conclusions(p, table)}
"""


def _trace_sentence(table: CaseTable) -> str:
    # content.verify has made sure every row is consistent with the trace
    return ("Each row was also traced with a symbolic example at every step and a symbolic learning rate "
            "(\\texttt{symcheck trace}): every group whose gradient is zero for every input is unmoved in "
            "the table, and no cell contradicts the trace.")


def _case_conclusions(p: HandoutPrinter, table: CaseTable) -> str:
    """One sentence per row, chosen from its computed steps."""
    last = f"b{table.spec.depth + 1}"
    sentences = []
    for row in table.rows:
        steps = row.steps
        if all(step.tied for step in steps):
            what = "the units stay tied at every step shown (and for ever, by the theorem below)"
        elif not steps[0].tied:
            what = "the units differ after the first step, and training can use them"
        else:
            first = next(step.step for step in steps if not step.tied)
            what = f"the units are tied after step 1 but differ from step {first} on"
        if all(step.moved == (last,) for step in steps):
            what += rf"; only ${p.parameter(last)}$ ever moves: the hidden layer is dead"
        elif len(steps) > 1 and steps[0].moved != (last,) and all(s.moved == (last,) for s in steps[1:]):
            what += (rf"; from step 2 only ${p.parameter(last)}$ moves: after the first step every hidden "
                     rf"unit is switched off on this example, so no gradient reaches the hidden layer")
        sentences.append(f"In case ({row.label}) {what}.")
    return " ".join(sentences)


def _theorem(p: HandoutPrinter, h: Handout) -> str:
    W, b = p.layer("W", "i"), p.layer("b", "i")
    hh, z, d = p.layer("h", "i"), p.layer("z", "i"), p.layer(r"\delta", "i")
    general = h.general
    where = (r"Appendix~\ref{sec:machine} prints both certificates lemma by lemma." if h.appendix else
             r"Both certificates can be printed lemma by lemma (\texttt{symcheck handout --appendix}).")
    return rf"""\section{{The theorem and its proof}}
\paragraph{{Theorem.}} Take an MLP with $K \ge 1$ hidden layers. If every ${W}$ and every ${b}$ starts
constant (each group its own constant), then after any number of gradient-descent steps, on any data
and with any learning rate:
\begin{{itemize}}
\item[(I1)] for $i = 1, \dots, K$ all rows of ${W}$ are equal;
\item[(I2)] for $i = 1, \dots, K$ all entries of ${b}$ are equal;
\item[(I3)] for $i = 2, \dots, K+1$ all columns of ${W}$ are equal.
\end{{itemize}}
So the $K$ hidden layers act like $K$ layers of width 1, whatever their widths.

\begin{{proof}}
Let $S$ be the set of parameter values that satisfy (I1)--(I3).

\emph{{$S$ is a linear subspace.}} Each condition says that two entries are equal,
${rc(p, 'W', 'i')} = {p.entry('W', 'i', 0, 0).replace('{' + p.indices(0, 0) + '}', '{1c}')}$ and so on: a linear equation.
Sums and multiples of solutions are solutions.

\emph{{Base case.}} Constant matrices and vectors satisfy (I1)--(I3), so $\theta_0 \in S$.

\emph{{Inductive step.}} Let $\theta \in S$ and fix any example $(x, y)$.
\emph{{Forward:}} every ${z}$ and ${hh}$ with $1 \le i \le K$ has equal entries. For $i = 1$, the
$r$-th entry of ${p.layer('z', 1)}$ is $\sum_c {rc(p, 'W', 1)} x_c + {comp(p, 'b', 1, 'r')}$, the same for every $r$ by
(I1) and (I2). For $2 \le i \le K$, ${W}$ has equal rows and equal columns, so all its entries are equal, and
${p.layer('h', 'i-1')}$ has equal entries: again every entry of ${z}$ is the same. Then ${hh} = \sigma({z})$
too. \emph{{Backward:}} by (\ref{{eq:dh}}) the $c$-th entry of $\partial L/\partial {p.layer('h', 'K')}$ is
$\sum_r {rc(p, 'W', 'K+1')}\, {comp(p, DELTA, 'K+1', 'r')}$, the same for every $c$ by (I3); by (\ref{{eq:db}})
${p.delta('K')}$ has equal entries, and going down layer by layer with (\ref{{eq:dh}}) and (I3), so has every
${d}$, $1 \le i \le K$. \emph{{Gradients:}} by (\ref{{eq:dW}}) the $(r, c)$ entry of $\partial L/\partial {W}$ is
${comp(p, DELTA, 'i', 'r')}\, {comp(p, 'h', 'i-1', 'c')}$: it does not depend on $r$ when $i \le K$ (equal rows) and not on $c$
when $i \ge 2$ (equal columns); by (\ref{{eq:db}}) $\partial L/\partial {b} = {d}$ has equal entries for $i \le K$.
So the gradient $g$ lies in $S$; so does the gradient of a mean over a batch (a sum of elements of $S$),
and since $S$ is a subspace, $\theta - \eta g \in S$.

By induction on the step, $\theta_t \in S$ for every $t$.
\end{{proof}}

\paragraph{{But does gradient descent not forget where it started?}} Only on a convex loss with a single
minimum. The loss of a network with hidden units is not convex: swapping two hidden units (their rows,
biases and outgoing weights) gives a different parameter vector with the same loss, so the minima come in
symmetric copies, and where training ends depends on where it starts. A constant start is the extreme
case: by the theorem it never leaves $S$, and no step size, however it is tuned per step, changes that
(a step size per \emph{{unit}} would, see Section~\ref{{sec:rules}}).

\paragraph{{Machine-checked.}} \texttt{{symcheck}} carried out this induction for the {network_name(h.spec)}
network with symbolic constants, a symbolic example and a symbolic learning rate (verdict: {h.proof.verdict}),
and once for every depth, width, activation, loss and batch size, with symbolic widths and an
uninterpreted $\sigma$ and $\ell$, as a chain of {len(general.lemmas)} lemmas (verdict: {general.verdict}).
{where}
"""


def _regression(p: HandoutPrinter, h: Handout) -> str:
    r = h.regressions
    log, lin, soft = r.logistic, r.linear, r.softmax
    x = ", ".join(map(str, log.x))
    soft_rows = soft.updated["W1"]
    equal_others = all(row == soft_rows[1] for row in soft_rows[1:])
    k = len(soft_rows)
    outputs = h.several_outputs
    collapsed = "--".join([str(outputs.spec.input_width)] + ["1"] * outputs.spec.depth
                          + [str(outputs.spec.output_width)])
    differ = "differ" if log.distinct_entries("W1") else "are still equal"
    return rf"""\section{{No hidden layer, several outputs}}
\paragraph{{Why logistic regression may start at 0.}} Logistic regression ($K = 0$: no hidden layer) has
no hidden units that could be interchangeable, so the theorem asserts nothing. The gradient of weight $j$
is $(s - y)\,x_j$ with $s = \operatorname{{sigmoid}}(o)$: one factor $s - y$ shared by all weights, times
each weight's own input $x_j$. (The output $o$ depends on every weight, so it is not that the weights do
not interact; it is that the shared factor is multiplied by different inputs.) From $W = 0$, $b = 0$ with
$x = ({x})$, $y = 1$ and $\eta = {p._print(log.learning_rate)}$:
\[
{p.parameter('W1')} \leftarrow {p.matrix(log.updated['W1'])}, \qquad
{p.parameter('b1')} \leftarrow {p.matrix(log.updated['b1'])},
\]
and the weights {differ} after one step, as they do whenever the inputs differ.

\paragraph{{Linear regression may start equal --- and so may softmax regression.}} A common claim is that
linear regression may start with equal weights but softmax regression may not, ``because softmax has
several outputs''. Both may: with no hidden layer there is nothing to be symmetric. Linear regression
(squared error) from $0$ on the same example moves the weights to ${p.matrix(lin.updated['W1'])}$, again
$-\eta(o - y)x^{{\top}}$. Softmax regression with {k} classes from $W = 0$, $b = 0$ and the example in class 1:
row $k$ of $W$ moves by $-\eta(\operatorname{{softmax}}(o)_k - y_k)\,x^{{\top}}$, so
\[
W \leftarrow {p.matrix(soft_rows)}:
\]
the row of the true class moves towards $x$, the {"others move away from it, equally in this first step" if equal_others else "others move away from it"};
other examples (other classes) then pull the rows apart.

\paragraph{{Do several outputs break the symmetry?}} No. With $m$ outputs ${p.layer('W', 'K+1')}$ has $m$ rows;
the theorem asks only that its \emph{{columns}} be equal, and each row may differ. By (\ref{{eq:dh}}) the
hidden units still receive $\sum_r {rc(p, 'W', 'K+1')}\,{comp(p, DELTA, 'K+1', 'r')}$, the same for every $c$.
\texttt{{symcheck}} proved this for the {network_name(outputs.spec)} network ({outputs.spec.output_width}
outputs, ${act_tex(outputs.spec.activation)}$ units, {loss_name(outputs.spec.loss)}; verdict: {outputs.verdict}):
it trains like a {collapsed} network.
"""


def _rules(p: HandoutPrinter, h: Handout) -> str:
    lines = []
    for outcome in h.rules:
        verdict = "keeps" if outcome.keeps else r"\textbf{breaks}"
        lines.append(rf"{RULE_NAMES[outcome.name]} & {verdict} & {sci(outcome.max_row_difference)} & "
                     rf"{RULE_REASONS[outcome.name]} \\")
    table_lines = "\n".join(lines)
    return rf"""\section{{Which training rules keep the symmetry}}\label{{sec:rules}}
The proof needs only one property of the update: two entries with equal values and equal gradients
(and equal optimizer state) receive equal updates. Every \emph{{elementwise}} rule has it; anything that
treats units differently breaks the tie. The second column is \texttt{{symcheck analyze}}'s verdict for the
2--2--1 network with sigmoid units and binary cross-entropy, from $W = \tfrac12$, $b = 0$ (\emph{{keeps}}: proved
for every step; \emph{{breaks}}: a counterexample, re-checked independently, or units that differ from the start).
The third column is measured: {h.rule_steps} float steps of the same rule, largest difference between
two rows of ${p.parameter('W1')}$ ($0$ means the units are still bitwise copies).
\begin{{center}}\small
\begin{{tabular}}{{>{{\raggedright\arraybackslash}}p{{3.4cm}}lr>{{\raggedright\arraybackslash}}p{{5.6cm}}}}
\toprule
rule & symmetry & row difference & why \\
\midrule
{table_lines}
\bottomrule
\end{{tabular}}
\end{{center}}
Breaking the tie this way is not a cure: the units start almost equal and need many steps to separate.
Random initialization is the standard remedy.
{_functional_paragraph(h)}"""
def _functional_paragraph(h: Handout) -> str:
    """Only when the exercises carry the functional-symmetry case (computed by symcheck.functional.equitable)."""
    if h.exercises.functional is None:
        return ""
    return r"""
\paragraph{Tied without equal weights.} Equal weights are sufficient for a tie, not necessary. If every
unit of a layer has the same bias, the same \emph{sum} of incoming weights from each group of tied units
below and the same sum of outgoing weights into each group above, the units still compute the same value
and receive the same backpropagated signal for every input: a square middle layer holding the identity, or
a magic square (equal row and column sums, no symmetry at all), between two constant layers trains like
a layer of width~1. Any elementwise rule that is linear in the weight itself (plain steps, momentum, Adam,
decoupled weight decay) keeps such sums equal; Adam with an L2 term added to the gradient does not, because
the weight then passes through the per-entry normalization. Exercise~9 works one case out.
"""


def _scales(p: HandoutPrinter, h: Handout) -> str:
    rows = []
    for s in h.scales:
        rows.append(rf"${p.parameter(f'W{s.layer}')}$ & {s.fan_in} & {s.fan_out} & ${p._print(s.lecun)}$ & "
                    rf"${p._print(s.xavier)}$ & ${p._print(s.he)}$ \\")
    sat = h.saturation
    act = ACTIVATION_TEX.get(sat[0].activation, sat[0].activation)
    sat_rows = " \\\\\n".join(rf"{s.std:g} & {approx(s.mean_slope)}" for s in sat)
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
${p.layer('z', 'i')} = {p.layer('W', 'i')} {p.layer('h', 'i-1')}$ with biases $0$ at initialization, the entries of ${p.layer('W', 'i')}$ i.i.d.\ with mean $0$,
$\mathrm{{fan}}_{{\mathrm{{in}}}} = n_{{i-1}}$ and $\mathrm{{fan}}_{{\mathrm{{out}}}} = n_i$.
{"".join(p._print(d) for d in h.variance)}"""




def _stuck_sentence(run, spec) -> str:
    """Why the zero start's loss curve is flat (or is not), from the computed run."""
    if run.stationary_start:
        return (rf"The zero start never moves: on this data set the all-zero point is a \emph{{stationary point}}. "
                rf"Every hidden unit outputs ${act_tex(spec.activation)}(0)$ on every example, the output is $0$ "
                r"for every example, and the output errors cancel over the data set (each target is 1 on half "
                r"of the examples and 0 on the other half), so every gradient is exactly $0$ and the loss stays "
                rf"at its starting value {approx(run.losses[0])} (for binary cross-entropy, $\ln 2$ per output). "
                r"This does not contradict the theorem: the units stay tied, and here they also stay still.")
    if run.rows_equal:
        return ("The zero start moves, but its hidden units stay tied, so it can do no better than a network with "
                "one unit per hidden layer.")
    raise HandoutUndecided("figures: the zero start's rows of W1 became different")


def _figures(p: HandoutPrinter, h: Handout) -> str:
    runs = {run.label: run for run in h.runs}
    stem = "\\symcheckfigures"
    spec = h.spec
    constant, random = runs["constant"], runs["random"]
    labels = run_labels(h)
    if not constant.rows_equal or not random.row_difference[-1] > 0:
        raise HandoutUndecided("figures: the constant start's units separated or the random start's did not")
    return rf"""\section{{Training, measured}}
Full-batch gradient descent ({h.training_steps} steps, NumPy float64) on a small XOR-like task that a single hidden unit
cannot solve, for the {network_name(spec)} network with ${act_tex(spec.activation)}$ hidden units and the
{loss_name(spec.loss)} loss. Figure~\ref{{fig:weights}} follows hidden units 1 and 2. From the constant start
their rows of ${p.parameter('W1')}$ are bitwise equal at every step (row difference $0$), and their biases
and outgoing weights coincide. From the random start the units separate: after {h.training_steps} steps their rows
differ by {approx(random.row_difference[-1])}, their biases are {approx(random.biases[-1, 0])} and
{approx(random.biases[-1, 1])}, and their outgoing weights {approx(random.outgoing[-1, 0])} and
{approx(random.outgoing[-1, 1])}.
Figure~\ref{{fig:loss}} shows what that costs: final mean loss {approx(constant.final_loss)} (constant),
{approx(runs['zeros'].final_loss)} (zeros), {approx(random.final_loss)} (random).
{_stuck_sentence(runs['zeros'], spec)}
\begin{{figure}}[H]
\centering
\includegraphics[width=\textwidth]{{{stem}-weights.pdf}}
\caption{{Hidden units 1 and 2 over training. Left: the largest difference between their rows of
${p.parameter('W1')}$ (constant start: exactly $0$ throughout). Middle and right: their biases and their
weights into output unit 1 (solid: unit 1, dashed: unit 2); from the constant start the dashed lines lie on the
solid ones, from the random start they separate.}}
\label{{fig:weights}}
\end{{figure}}
\begin{{figure}}[H]
\centering
\includegraphics[width=0.62\textwidth]{{{stem}-loss.pdf}}
\caption{{Mean training loss: {labels['constant']} (solid), {labels['zeros']} (dashed) and
{labels['random']} (dotted).}}
\label{{fig:loss}}
\end{{figure}}
"""


SECTIONS = (_intro, _derivation, _worked, _cases, _theorem, _regression, _rules, _scales, _figures)


# ------------------------------------------------------------------ the machine appendix

def appendix_tex(p: HandoutPrinter, h: Handout) -> str:
    """The certificates, typeset as lemmas with proofs (only with --appendix)."""
    proof = h.proof
    # the certificate's formulas are long and unbreakable: let the lines around them stretch instead
    parts = [r"\clearpage", r"\appendix", r"\sloppy\emergencystretch=3em",
             r"\section{The machine-checked proofs}\label{sec:machine}",
             rf"\subsection{{The {network_name(h.spec)} network}}",
             r"Each lemma below is one invariant at the base case or after one step from a generic point of "
             r"the invariant set; its proof lists how \texttt{symcheck} decided each identity "
             r"``entry $=$ reference entry'' (never by floating point).", ""]
    for number, (base, step) in enumerate(proof.invariants, 1):
        claim = p._print(base.invariant)
        for stage, check, when in (("base", base, "at $t = 0$"),
                                   ("step", step, r"after one step $\theta - \eta\,\partial L/\partial\theta$ "
                                                        r"from any point of the invariant set")):
            parts.append(rf"\begin{{lemma}}[{'base case' if stage == 'base' else 'inductive step'}, "
                         rf"invariant {number}] {claim.rstrip('.')} {when}.\end{{lemma}}")
            parts.append(r"\begin{proof}" + _identities_sentence(check) + r"\end{proof}")
    parts += [r"\subsection{Every depth and every width}\label{sec:general}",
              r"Every lemma below was checked by \texttt{symcheck prove --general}: the entry $X_{rc}$ of each "
              r"quantity is computed by SymPy at symbolic indices $r, c$, and the structure claimed is read off "
              r"from which indices it mentions.", p._print(h.general)]
    return "\n".join(parts) + "\n"


def _identities_sentence(check) -> str:
    count = check.identities
    if count == 0:
        return "There is nothing to check: the group has a single entry."
    methods = ", ".join(f"{n} by {tex_text(method)}" for method, n in check.methods)
    noun = "identity holds" if count == 1 else f"{count} identities hold"
    if check.status != PROVED:
        raise HandoutUndecided(f"appendix: an invariant check is {check.status}")
    return f"The {noun} exactly: {methods}."


# ------------------------------------------------------------------ documents

LEMMA_STYLE = "\\newtheorem{lemma}{Lemma}[section]\n\\usepackage{float}  % figures stay where the text discusses them\n"


def definitions_tex(figure_stem: str) -> str:
    return "\\newcommand{\\symcheckfigures}{" + figure_stem + "}\n" + LEMMA_STYLE


TITLE = "Why not start every weight at 0? The symmetry problem of neural-network initialization"
