"""The handout's exercises and their answer key, typeset from ``symcheck.handout.exercises``:
every given number and every answer is read from the computed (and cross-checked) instance."""

from __future__ import annotations

import sympy as sp

from .handout_tex import DELTA, RULE_NAMES, RULE_REASONS, HandoutPrinter, act_tex, comp, network_name, numpy_sentence, rc
from .texutil import sci, standalone, tex_text


def _tuple(values) -> str:
    return ", ".join(map(str, values))


def _heading(title: str, e: Exercises, student: str | None) -> str:
    who = f" for {tex_text(student)}" if student else ""
    return rf"\section*{{{title} (instance {e.seed}{who})}}" + "\n"


def exercises_tex(p: HandoutPrinter, e: Exercises, student: str | None = None) -> str:
    sym = e.symmetry.step
    a, beta = sym.params["W2"][0][0], sym.params["b2"][0]
    log = e.logistic.step
    sc = e.scaling.scales
    case, _ = e.case.steps
    dead = e.dead.steps[0]
    outputs = e.outputs.proof.spec
    soft, lin = e.regression.softmax, e.regression.linear
    classes = soft.spec.output_width
    W1, b1, W2, b2 = (p.parameter(n) for n in ("W1", "b1", "W2", "b2"))
    rules = "; ".join(f"({chr(97 + k)}) {RULE_NAMES[r.name]}" for k, r in enumerate(e.rules.rules))
    return r"\clearpage" + "\n" + _heading("Exercises", e, student) + rf"""\begin{{enumerate}}
\item \textbf{{A step from a constant start.}} A 2--2--1 network has sigmoid hidden units and the squared
error $L = \tfrac12 (o - y)^2$ with identity output. It starts at ${W1} = 0$, ${b1} = 0$,
${W2} = ({p._print(a)}, {p._print(a)})$, ${b2} = {p._print(beta)}$. For the example $x = ({_tuple(sym.x)})$,
$y = {sym.y[0]}$ and $\eta = {p._print(sym.learning_rate)}$:
(a) compute ${p.layer('h', 1)}$, $o$ and ${p.delta(2)}$;
(b) compute $\partial L/\partial {W2}$, ${p.delta(1)}$ and $\partial L/\partial {W1}$;
(c) write down all parameters after one step. Are the rows of ${W1}$ equal? Are its columns? Explain why
the rows will stay equal.
\item \textbf{{Logistic regression from zero.}} Logistic regression with three inputs starts at $W = 0$,
$b = 0$. One gradient step of the binary cross-entropy on $x = ({_tuple(log.x)})$, $y = {log.y[0]}$ with
$\eta = {p._print(log.learning_rate)}$: what are $W$ and $b$ afterwards? Are the weights still equal? Why?
\item \textbf{{Scaled initialization.}} A dense layer has $\text{{fan}}_\text{{in}} = {sc.fan_in}$ and
$\text{{fan}}_\text{{out}} = {sc.fan_out}$. Give the standard deviation of normal LeCun, Xavier and He
initialization, exactly and to four digits.
\item \textbf{{Keep or break?}} None of these rules is in the table of the handout. Starting from constant
weights, which of them keep the hidden units of a layer identical for ever, and why? {rules}.
\item \textbf{{Random biases, zero weights.}} The 2--2--1 network with sigmoid hidden units and binary
cross-entropy starts at ${W1} = 0$, ${b1} = ({p._print(case.params['b1'][0])}, {p._print(case.params['b1'][1])})$,
${W2} = 0$, ${b2} = 0$. One example $x = ({_tuple(case.x)})$, $y = {case.y[0]}$, $\eta = 1$.
(a) Which groups move in step 1? (b) Are the two entries of ${W2}$ equal after step 1? (c) Are the rows of
${W1}$ equal after step 2?
\item \textbf{{A dead network.}} The 2--2--1 network with ${act_tex(dead.spec.activation)}$ hidden units and binary
cross-entropy starts with every weight and bias at $0$. Trained on $x = ({_tuple(dead.x)})$, $y = {dead.y[0]}$
with $\eta = 1$, which parameters ever move? What does the network compute after any number of steps?
\item \textbf{{Several outputs.}} A {network_name(outputs)} network (sigmoid hidden units, squared error)
starts with constant weights and biases. Its {outputs.output_width} output units have different targets.
Does that make its hidden units different during training? Which entries of ${p.layer('W', 2)}$ may differ?
\item \textbf{{Softmax and linear regression.}} (a) Softmax regression with {classes} classes starts at $W = 0$,
$b = 0$. One step with $\eta = 1$ on $x = ({_tuple(soft.x)})$ in class {e.regression.label + 1}: what is $W$
afterwards? Which rows are equal? (b) Linear regression (squared error) from $W = 0$, $b = 0$, one step with
$\eta = {p._print(lin.learning_rate)}$ on the same $x$ and $y = {lin.y[0]}$: what is $W$? (c) Someone claims that
linear regression may start with equal weights but softmax regression may not. Right or wrong?
{_functional_question(p, e.functional)}\end{{enumerate}}
"""


def answers_tex(p: HandoutPrinter, e: Exercises, student: str | None = None) -> str:
    sym = e.symmetry.step
    result = sym.result
    log = e.logistic.step
    sc = e.scaling.scales
    first, second = e.case.steps
    dead = e.dead.steps
    outputs = e.outputs.proof
    soft, lin = e.regression.softmax, e.regression.linear
    W1, b1, W2, b2 = (p.parameter(n) for n in ("W1", "b1", "W2", "b2"))
    columns = "equal" if len(set(row for row in zip(*sym.updated["W1"]))) == 1 else "different"
    collapsed = "--".join([str(outputs.spec.input_width)] + ["1"] * outputs.spec.depth
                          + [str(outputs.spec.output_width)])
    soft_rows = soft.updated["W1"]
    label = e.regression.label
    others_equal = all(row == soft_rows[(label + 1) % len(soft_rows)] for k, row in enumerate(soft_rows) if k != label)
    rules = "; ".join(f"({chr(97 + k)}) {'keeps' if r.keeps else 'breaks'}: {RULE_REASONS[r.name]}"
                      for k, r in enumerate(e.rules.rules))
    std = {name: sp.sqrt(getattr(sc, name)) for name in ("lecun", "xavier", "he")}
    return r"\clearpage" + "\n" + _heading("Answer key", e, student) + rf"""Computed exactly by \texttt{{symcheck}}.
{numpy_sentence(sym)} Central finite differences agree to within {sci(e.symmetry.finite_difference_error)}.
\begin{{enumerate}}
\item (a) ${p.layer('h', 1)} = {p.matrix(result.forward.h[1])}$ (since $\operatorname{{sigmoid}}(0) = \tfrac12$),
$o = {p._print(result.forward.output[0])}$, ${p.delta(2)} = o - y = {p._print(result.output_gradient[0])}$.
(b) $\partial L/\partial {W2} = {p.matrix(result.gradients['W2'])}$,
${p.delta(1)} = {p.matrix(result.deltas[0])}$ (using $\operatorname{{sigmoid}}'(0) = \tfrac14$),
$\partial L/\partial {W1} = {p.matrix(result.gradients['W1'])}$.
(c) ${W1} = {p.matrix(sym.updated['W1'])}$, ${b1} = {p.matrix(sym.updated['b1'])}$,
${W2} = {p.matrix(sym.updated['W2'])}$, ${b2} = {p.matrix(sym.updated['b2'])}$.
The rows of ${W1}$ are {'equal' if sym.rows_equal('W1') else 'not equal'} and its columns are {columns}
(the inputs differ): both hidden units had the same input weights, the same bias and the same outgoing weight,
so they received the same gradient; by induction they stay equal at every later step.
\item $W = {p.matrix(log.updated['W1'])}$, $b = {p.matrix(log.updated['b1'])}$: weight $j$ moved by
$-\eta(s - y)\,x_j$ with $s = \operatorname{{sigmoid}}(0) = \tfrac12$, one shared factor times different inputs, so the
weights {'differ' if log.distinct_entries('W1') else 'are equal'} --- zero initialization is harmless here.
\item LeCun $\sqrt{{1/{sc.fan_in}}} = {p._print(std['lecun'])} \approx {float(std['lecun']):.4f}$;
Xavier $\sqrt{{2/({sc.fan_in} + {sc.fan_out})}} = {p._print(std['xavier'])} \approx {float(std['xavier']):.4f}$;
He $\sqrt{{2/{sc.fan_in}}} = {p._print(std['he'])} \approx {float(std['he']):.4f}$
(200\,000 samples at each scale give standard deviations {", ".join(f"{v:.4f}" for v in e.scaling.sampled_std.values())}).
\item {rules}. (Each verdict proved or refuted by \texttt{{symcheck analyze}} and confirmed by {e.rule_steps} float
steps of the rule: the rows of ${W1}$ stay bitwise equal exactly for the rules that keep the symmetry.)
\item (a) Only {p.groups(g for g in ('W1', 'b1', 'W2', 'b2') if first.moved(g))} move: ${W2} = 0$ passes no gradient
back. (b) After step 1,
\[{W2} = {p.matrix(first.updated['W2'])}:\]
the entries
{'differ' if first.distinct_entries('W2') else 'are equal'}, because the units output
$\operatorname{{sigmoid}}$ of different biases. (c) After step 2 the rows of ${W1}$ are
{'equal' if second.rows_equal('W1') else 'different'}: ${W1} {p.approx_matrix(second.updated['W1'])}$. The random biases
broke the symmetry, one layer at a time.
\item Only {p.groups(g for g in ('W1', 'b1', 'W2', 'b2') if any(s.moved(g) for s in dead))} moves (checked for
{len(dead)} steps; by induction for ever): the hidden units output ${act_tex(dead[0].spec.activation)}(0) = 0$, so
$\partial L/\partial {W2} = {p.delta(2)} {{{p.layer('h', 1)}}}^\top = 0$, and with ${W2} = 0$ nothing flows back.
The network outputs a constant, $\operatorname{{sigmoid}}({b2})$, with ${b2} = {p._print(dead[-1].updated['b2'][0])}$ after
{len(dead)} steps.
\item No. \texttt{{symcheck}} proved the theorem for the {network_name(outputs.spec)} network (verdict:
{outputs.verdict}): it trains like a {collapsed} network. The rows of ${p.layer('W', 2)}$ (one per output) may
differ; its columns (one per hidden unit) stay equal, so every hidden unit receives
$\sum_r {rc(p, 'W', 2)} {comp(p, DELTA, 2, 'r')}$, the same for every $c$.
\item (a) $W = {p.matrix(soft_rows)}$: row $k$ moved by $-\eta(\operatorname{{softmax}}(0)_k - y_k)\,x^\top$ with
$\operatorname{{softmax}}(0)_k = \tfrac1{{{len(soft_rows)}}}$; the row of class {label + 1} differs from the others, which are
{'equal to each other in this first step' if others_equal else 'different'}. (b) $W = {p.matrix(lin.updated['W1'])}$:
the weights differ because the inputs do. (c) Wrong: with no hidden layer there is nothing to be symmetric, and
both may start equal (even at $0$). Equal starting weights are a problem only for hidden units.
{_functional_answer(p, e.functional)}\end{{enumerate}}
"""


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
$z_p = \sum_k {p.parameter('W2')}[p, k]\,h = {p._print(f.quotient_W2)}\,h$: every row sums to ${p._print(f.quotient_W2)}$.
Backwards, unit $k$ of layer~1 gets $\sum_r {p.parameter('W2')}[r, k]\,\delta = {p._print(f.quotient_W2)}\,\delta$ times the
same $\tanh'$: every column sums to ${p._print(f.quotient_W2)}$ too.
(c) A 2--1--1--1 network with middle weight ${p._print(f.quotient_W2)}$: \texttt{{symcheck analyze}} finds functional widths
{f.functional_widths[0]} and {f.functional_widths[1]}, proves that plain steps, Adam and AdamW keep the sums equal
({f.keeps['sgd']}, {f.keeps['adam']}, {f.keeps['adamw']}), and {f.keeps['adam_l2']} Adam with coupled L2 with an exact
counterexample. Trained side by side for {f.steps} steps, the two networks' losses differ by at most
{sci(f.loss_difference)} (relative).
"""


def sheet_tex(e: Exercises, student: str | None, part: str, paper: str | None, **settings) -> str:
    """A stand-alone exercise sheet or answer key (``part``: exercises or answers) for one instance."""
    printer = HandoutPrinter(settings)
    body = (exercises_tex if part == "exercises" else answers_tex)(printer, e, student)
    body = body.replace(r"\clearpage" + "\n", "", 1)
    title = "Exercises: the symmetry problem of initialization" if part == "exercises" else \
        "Answer key: the symmetry problem of initialization"
    return standalone(body, title, "", paper)
