"""LaTeX for symcheck's objects, in textbook notation.

``SymcheckLatexPrinter`` is SymPy's ``LatexPrinter`` with one ``_print_X``
method per symcheck object (``Equation``, ``Derivation``, ``Proof``,
``GroupCheck``, ``Counterexample``, ...) and per symcheck expression node
(``Activate``, ``OutputGradient``, the named activations). SymPy's dispatcher
walks the class's MRO, so plain dataclasses dispatch exactly like SymPy nodes;
since dispatch goes by class name, no result module is imported here (annotations
name the classes; ``from __future__ import annotations`` never evaluates them).
The math modules hand over the very objects they checked; every string of
LaTeX is made here (and in ``render.handout_tex`` for the handout's prose).

Notation (settings):

- ``layer_notation``: ``"bracket"`` gives W^{[1]}, delta^{[2]}; ``"subscript"``
  gives W_1, delta_2 (entries then read (W_1)_{12}).
- ``index_base``: entry indices start at 1 (the textbook habit; default) or 0
  (as symcheck's symbol names and the JSON output).
- ``activation_symbol``: how the hidden activation is written in the matrix
  form (default sigma; the generic activation ``f`` is always written f).
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.latex import LatexPrinter

from ..errors import InvalidArgument, UnsupportedObject
from ..exact.verdict import PROVED, REFUTED
from .latex_analysis import AnalysisLatex
from .latex_general import GeneralProofLatex
from .latex_rule_forms import VARIABLE_ABBREVIATIONS
from .latex_variance import InitializerLatex, VarianceLatex
from .texutil import check_status, network_tex, sci, shorten_numbers, tex_text


#: The hidden activations by name, as a textbook writes them.
ACTIVATION_TEX = {
    "identity": r"\operatorname{id}",
    "sigmoid": r"\operatorname{sigmoid}",
    "tanh": r"\tanh",
    "relu": r"\operatorname{ReLU}",
    "leaky_relu": r"\operatorname{LeakyReLU}",
    "softplus": r"\operatorname{softplus}",
    "elu": r"\operatorname{ELU}",
    "gelu": r"\operatorname{GELU}",
    "f": "f",
}

#: The stated convention of each activation (the registry's sentence, typeset).
CONVENTION_TEX = {
    "identity": r"$\operatorname{id}(x) = x$, smooth",
    "sigmoid": r"$\operatorname{sigmoid}(x) = 1/(1 + e^{-x})$, smooth",
    "tanh": r"$\tanh$ is smooth",
    "relu": r"$\operatorname{ReLU}'(0) = 0$ (as PyTorch and JAX)",
    "leaky_relu": r"$\operatorname{LeakyReLU}(x) = x$ for $x > 0$, else $0.01x$; "
                  r"$\operatorname{LeakyReLU}'(0) = 0.01$ (as PyTorch)",
    "softplus": r"$\operatorname{softplus}(x) = \log(1 + e^{x})$, smooth",
    "elu": r"ELU with $\alpha = 1$; $\operatorname{ELU}'(0) = 1$ (both one-sided derivatives agree)",
    "gelu": r"exact GELU $x\,\Phi(x)$, smooth; $\operatorname{GELU}'(x) = \Phi(x) + x\,\varphi(x)$ with "
            r"$\Phi$, $\varphi$ the standard normal distribution function and density",
    "f": r"$f$ is uninterpreted (any differentiable activation)",
}

LOSS_TEX = {
    "mse": r"$L = \tfrac12 \lVert o - y \rVert^2$ with identity output",
    "bce": r"$L = -\sum_k \bigl[y_k \log s_k + (1 - y_k) \log(1 - s_k)\bigr]$ with $s = \operatorname{sigmoid}(o)$",
    "ce": r"$L = -\sum_k y_k \log \operatorname{softmax}(o)_k$",
}

#: W1' after the step is shown entry by entry only when its entries are this small.
STEPPED_ENTRY_MAX_OPS = 60

STAGE_TITLES = {
    "forward": "Forward pass",
    "output": "Output gradient",
    "backward": r"Backward pass: (1)~$\partial L/\partial W$, (2)~$\partial L/\partial b$ and $\delta$, "
                r"(3)~$\partial L/\partial h$",
    "update": "Gradient-descent update",
}


#: The relations of ``model.sentence.Relation``: orders, "distributed as" and an update.
RELATION_TEX = {"<=": r"\le", "<": "<", ">=": r"\ge", ">": ">", "~": r"\sim", "<-": r"\leftarrow"}

# Symbol names used by symcheck's math modules (0-based entry indices).
_ENTRY2 = re.compile(r"^(d?)([Wb])(\d+)_(\d+)_(\d+)$")  # W2_0_1, dW2_0_1
_ENTRY1 = re.compile(r"^(d?)(b|h|z|delta)(\d+)_(\d+)$")  # b1_0, h1_0, delta2_0, db1_0
_DATA = re.compile(r"^([xyo])_(\d+)$")  # x_0, y_0, o_0
_BATCH = re.compile(r"^([xy])\^(\d+)_(\d+)$")  # x^0_1 (example 0 of a batch)
_TIED = re.compile(r"^([uv])_(\d+)$")  # free entries of a tied point
_LAYER_SCALAR = re.compile(r"^(c|beta|w)_?(\d+)$")  # c_2, beta_1, beta1, w1
_MATRIX = re.compile(r"^(W|b|h|z|delta)(\d+)$")
_GRADIENT = re.compile(r"^dL_d([Wbh])(\d+)$")
_LETTER = {"delta": r"\delta", "beta": r"\beta", "W": "W", "b": "b", "h": "h", "z": "z",
           "c": "c", "w": "w"}


class SymcheckLatexPrinter(GeneralProofLatex, AnalysisLatex, VarianceLatex, InitializerLatex, LatexPrinter):
    """LaTeX for derivations, proofs and their parts; see the module docstring.

    The general proof, ``analyze``/``trace`` results and the variance derivations
    are printed by the mixins of ``latex_general``, ``latex_analysis`` and
    ``latex_variance``."""

    _default_settings = {
        **LatexPrinter._default_settings,
        "layer_notation": "bracket",
        "index_base": 1,
        "activation_symbol": r"\sigma",
    }

    def __init__(self, settings=None):
        super().__init__(settings)
        self.in_sentence = False  # True while a Sentence's formulas are printed (_print_Sentence)
        if self._settings["layer_notation"] not in ("bracket", "subscript"):
            raise InvalidArgument("layer_notation must be 'bracket' or 'subscript'")
        if self._settings["index_base"] not in (0, 1):
            raise InvalidArgument("index_base must be 0 or 1")

    # ------------------------------------------------------------ notation

    def layer(self, letter: str, layer) -> str:
        """W^{[i]} or W_i."""
        if self._settings["layer_notation"] == "bracket":
            return f"{letter}^{{[{layer}]}}"
        return f"{letter}_{{{layer}}}"

    def indices(self, *indices: int) -> str:
        base = self._settings["index_base"]
        shifted = [str(i + base) for i in indices]
        return ("," if any(len(s) > 1 for s in shifted) else "").join(shifted)

    def entry(self, letter: str, layer, *indices: int) -> str:
        """W^{[i]}_{rc} or (W_i)_{rc}."""
        if self._settings["layer_notation"] == "bracket":
            return f"{letter}^{{[{layer}]}}_{{{self.indices(*indices)}}}"
        return f"({letter}_{{{layer}}})_{{{self.indices(*indices)}}}"

    def _print_Sentence(self, sentence) -> str:
        """Prose escaped, each formula printed in math mode from its structure; a quotient by a number
        or a symbol is written on the line (Var(z) / 2), as running text writes it."""
        self.in_sentence = True
        try:
            return "".join(tex_text(part) if isinstance(part, str) else f"${self._print(part)}$"
                           for part in sentence.parts)
        finally:
            self.in_sentence = False

    def _print_Rational(self, expr):
        if self.in_sentence:
            return f"{expr.p}/{expr.q}" if expr.q != 1 else str(expr.p)
        return super()._print_Rational(expr)

    def _print_Tuple(self, expr):
        if self.in_sentence:  # (x^t, y^t) in a sentence
            return "(" + ", ".join(self._print(item) for item in expr) + ")"
        return super()._print_Tuple(expr)

    def _print_Pow(self, expr, exp=None):
        if self.in_sentence and expr.exp == -1:
            return f"1 / {self.parenthesize(expr.base, PRECEDENCE['Mul'])}"
        return super()._print_Pow(expr)

    def _print_Mul(self, expr):
        if self.in_sentence:
            numerator, denominator = sp.fraction(expr, exact=True)
            if denominator != 1 and (denominator.is_Integer or denominator.is_Symbol):
                return f"{self.parenthesize(numerator, PRECEDENCE['Add'])} / {self._print(denominator)}"
        return super()._print_Mul(expr)

    def _print_Equals(self, formula) -> str:
        return f"{self._print(formula.left)} = {self._print(formula.right)}"

    def _print_LayerQuantity(self, quantity) -> str:
        return self.layer(_LETTER[quantity.letter], quantity.layer)

    def superscript_base(self, quantity) -> str:
        """``quantity`` ready for a superscript: braced when it has one already ({W^{[i]}}^{\top},
        W_{i}^{\top})."""
        inner = self._print(quantity)
        return f"{{{inner}}}" if "^" in inner else inner

    def _print_Transposed(self, formula) -> str:
        return self.superscript_base(formula.quantity) + r"^{\top}"

    def _print_Product(self, formula) -> str:
        return " ".join(self._print(factor) for factor in formula.factors)

    def _print_Relation(self, formula) -> str:
        return f"{self._print(formula.left)} {RELATION_TEX[formula.relation]} {self._print(formula.right)}"

    def partial(self, of: str) -> str:
        return rf"\frac{{\partial L}}{{\partial {of}}}"

    def parameter(self, name: str) -> str:
        """A parameter group by its symcheck name: "W2" -> W^{[2]}."""
        return self.layer(name[0], name[1:])

    def position(self, name: str, position) -> str:
        return self.entry(name[0], name[1:], *position)

    # ------------------------------------------------------------ SymPy nodes

    def _print_Symbol(self, expr, style="plain"):
        name = expr.name
        if name.endswith("'") and name.rstrip("'"):  # alpha', c_i': primes after the subscript
            base = name.rstrip("'")
            return self._print_Symbol(sp.Symbol(base), style) + "'" * (len(name) - len(base))
        named = self.variance_symbol(name)
        if named is not None:
            return named
        match = _ENTRY2.match(name)
        if match:
            d, letter, layer, r, c = match.groups()
            text = self.entry(letter, layer, int(r), int(c))
            return self.partial(text) if d else text
        match = _ENTRY1.match(name)
        if match:
            d, letter, layer, r = match.groups()
            text = self.entry(_LETTER[letter], layer, int(r))
            return self.partial(text) if d else text
        match = _DATA.match(name) or _TIED.match(name)
        if match:
            letter, j = match.groups()
            return f"{letter}_{{{self.indices(int(j))}}}"
        match = _BATCH.match(name)
        if match:
            letter, example, j = match.groups()
            return f"{letter}^{{({self.indices(int(example))})}}_{{{self.indices(int(j))}}}"
        match = _LAYER_SCALAR.match(name)
        if match:
            letter, layer = match.groups()
            return f"{_LETTER[letter]}_{{{layer}}}"
        if name == "eta":
            return r"\eta"
        if name in VARIABLE_ABBREVIATIONS:  # a hyperparameter named as in the rules: lam, eps
            return "\\" + VARIABLE_ABBREVIATIONS[name]
        return super()._print_Symbol(expr, style)

    def _print_MatrixSymbol(self, expr):
        name = expr.name
        match = _MATRIX.match(name)
        if match:
            letter, layer = match.groups()
            return self.layer(_LETTER[letter], layer)
        match = _GRADIENT.match(name)
        if match:
            letter, layer = match.groups()
            return self.partial(self.layer(letter, layer))
        return super()._print_MatrixSymbol(expr)

    def _as_ordered_terms(self, expr, order=None):
        # "sigmoid(o) - y", not SymPy's canonical "- y + sigmoid(o)": positive terms first.
        terms = list(super()._as_ordered_terms(expr, order))
        return [t for t in terms if not t.could_extract_minus_sign()] + \
               [t for t in terms if t.could_extract_minus_sign()]

    def _print_MatAdd(self, expr):
        # Keep the order the equation states (theta - eta * gradient).
        text = ""
        for position, term in enumerate(expr.args):
            coefficient = term.as_coeff_mmul()[0] if isinstance(term, sp.MatMul) else 1
            if coefficient < 0 or (coefficient == 1 and term.could_extract_minus_sign()):
                text += " - " + self._print(-term)
            else:
                text += ("" if position == 0 else " + ") + self._print(term)
        return text

    def _print_HadamardProduct(self, expr):
        return r" \odot ".join(self.parenthesize(arg, 50) for arg in expr.args)

    def _print_Transpose(self, expr):
        inner = self._print(expr.arg)
        if isinstance(expr.arg, sp.MatrixSymbol):
            if "^" not in inner:
                return inner + r"^{\top}"
            if re.fullmatch(r"[A-Za-z\\]+\^\{\[[^{}]*\]\}", inner):  # h^{[1]} -> h^{[1]\top}
                return inner[:-1] + r"\top}"
        return rf"\left({inner}\right)^{{\top}}"

    def _print_Activate(self, expr):
        symbol = "f" if expr.activation == "f" else self._settings["activation_symbol"]
        if symbol is None:
            symbol = ACTIVATION_TEX.get(expr.activation, rf"\operatorname{{{tex_text(expr.activation)}}}")
        mark = "'" * expr.order
        return rf"{symbol}{mark}({self._print(expr.argument)})"

    def _print_OutputGradient(self, expr):
        o, y = (self._print(a) for a in expr.args[1:])
        return {
            "mse": f"{o} - {y}",
            "bce": rf"\operatorname{{sigmoid}}({o}) - {y}",
            "ce": rf"\operatorname{{softmax}}({o}) \, (\mathbf{{1}}^{{\top}} {y}) - {y}",
        }[expr.loss]

    def _function(self, name: str, expr, exp=None) -> str:
        text = rf"{name}({self._print(expr.args[0])})"
        return text if exp is None else rf"{name}^{{{exp}}}({self._print(expr.args[0])})"

    def _print_sigmoid(self, expr, exp=None):
        return self._function(ACTIVATION_TEX["sigmoid"], expr, exp)

    def _print_relu(self, expr, exp=None):
        return self._function(ACTIVATION_TEX["relu"], expr, exp)

    def _print_leaky_relu(self, expr, exp=None):
        return self._function(ACTIVATION_TEX["leaky_relu"], expr, exp)

    def _print_elu(self, expr, exp=None):
        return self._function(ACTIVATION_TEX["elu"], expr, exp)

    def _print_softplus(self, expr, exp=None):
        return self._function(ACTIVATION_TEX["softplus"], expr, exp)

    def _print_gelu(self, expr, exp=None):
        return self._function(ACTIVATION_TEX["gelu"], expr, exp)

    def _print_normal_cdf(self, expr, exp=None):
        name = r"\Phi" if exp is None else rf"\Phi^{{{exp}}}"
        return rf"{name}\left({self._print(expr.args[0])}\right)"

    def _print_f(self, expr, exp=None):
        return self._function("f", expr, exp)

    def _print_f_prime(self, expr, exp=None):
        return self._function("f'", expr, exp)

    def _print_Heaviside(self, expr, exp=None):
        # symcheck only builds Heaviside(z, 0): the ReLU derivative with value 0 at 0.
        text = rf"\mathbf{{1}}\left[{self._print(expr.args[0])} > 0\right]"
        return text if exp is None else rf"{text}^{{{exp}}}"

    # ------------------------------------------------------------ symcheck objects

    def _print_Equation(self, equation: Equation) -> str:
        arrow = r" \leftarrow " if equation.assignment else " = "
        return self._print(equation.lhs) + arrow + self._print(equation.rhs)

    def _equation_rows(self, equations, tags: bool) -> list[str]:
        rows = []
        for equation in equations:
            arrow = r" &\leftarrow " if equation.assignment else " &= "
            row = self._print(equation.lhs) + arrow + self._print(equation.rhs)
            if tags and equation.rule.startswith("("):
                # an instance of equation (1), (2) or (3), not a new equation: no repeated numbers
                row += rf" \tag*{{by {equation.rule}}}"
            rows.append(row)
        return rows

    def align(self, rows: list[str]) -> str:
        return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n"

    def _print_DerivationCheck(self, check: DerivationCheck) -> str:
        if not check.passed:
            return (rf"\emph{{Check failed}}: {tex_text(check.method)}: {check.entries} gradient entries, "
                    rf"{tex_text(check.detail)}.")
        detail, _ = shorten_numbers(tex_text(check.detail), tex=True, inline=True)  # 1.4e-17 as a power of ten
        return (rf"\emph{{Checked}}: {tex_text(check.method)}, on all {check.entries} gradient entries "
                rf"({detail}).")

    def _print_Derivation(self, derivation: Derivation) -> str:
        spec = derivation.spec
        act = spec.activation
        symbol = "f" if act == "f" else self._settings["activation_symbol"] or ACTIVATION_TEX[act]
        parts = [
            rf"\noindent\textbf{{Network.}} {network_tex(spec)}. "
            rf"Hidden activation ${symbol} = {ACTIVATION_TEX.get(act, act)}$, applied entrywise "
            rf"({CONVENTION_TEX.get(act, tex_text(derivation.convention))}). "
            rf"Loss: {LOSS_TEX.get(spec.loss, tex_text(derivation.loss_description))}. "
            rf"$\odot$ is the entrywise product and $\delta^{{[i]}} = \partial L/\partial z^{{[i]}}$."
            .replace(r"\delta^{[i]}", self.layer(r"\delta", "i")).replace("z^{[i]}", self.layer("z", "i"))
            + "\n",
        ]
        stage = None
        block: list[Equation] = []
        for equation in (*derivation.equations, None):
            if equation is None or equation.stage != stage:
                if block:
                    parts.append(rf"\paragraph{{{STAGE_TITLES[stage]}.}}" + "\n")
                    parts.append(self.align(self._equation_rows(block, tags=True)))
                    if stage == "output" and spec.loss == "ce":
                        parts.append(r"For a one-hot target $y$ (so $\mathbf{1}^{\top} y = 1$) this is "
                                     r"$\operatorname{softmax}(o) - y$." + "\n")
                if equation is None:
                    break
                stage, block = equation.stage, []
            block.append(equation)
        if derivation.scalar_equations:
            base = self._settings["index_base"]
            parts.append(
                r"\paragraph{Entry by entry.} "
                rf"Indices start at {base}; $W_{{rc}}$ is the weight from unit $c$ of the layer below "
                r"to unit $r$."
                .replace("W_{rc}", self.entry("W", "i", 0, 0).replace(self.indices(0, 0), "rc"))
                + "\n"
            )
            parts.append(self.align(self._equation_rows(derivation.scalar_equations, tags=False)))
        parts.append(self._print(derivation.check) + "\n")
        return "".join(parts)

    def _print_Invariant(self, invariant: Invariant) -> str:
        what = invariant.property[len("equal "):]
        return rf"${self.parameter(invariant.parameter)}$ has equal {what}"

    def matrix(self, value, max_rows: int = 4, max_cols: int = 5) -> str:
        """A tuple-of-rows matrix (or a tuple vector, as a column) as a pmatrix, elided if large."""
        rows = [list(row) for row in value] if value and isinstance(value[0], tuple) else [[v] for v in value]
        shown_rows = rows if len(rows) <= max_rows else rows[: max_rows - 2] + [None] + rows[-1:]
        lines = []
        for row in shown_rows:
            if row is None:
                width = min(len(rows[0]), max_cols)
                lines.append(" & ".join([r"\vdots"] * width))
                continue
            cells = row if len(row) <= max_cols else row[: max_cols - 2] + [None] + row[-1:]
            lines.append(" & ".join(r"\cdots" if c is None else self._print(c) for c in cells))
        return "\\begin{pmatrix}" + r" \\ ".join(lines) + "\\end{pmatrix}"

    def _print_Subspace(self, tied) -> str:
        rows = [rf"{self.parameter(name)} &= {self.matrix(value)}" for name, value in tied.parameters.items()]
        return self.align(rows)

    def _print_StepCrossCheck(self, check: StepCrossCheck) -> str:
        survive = ("hold" + (" (bitwise equal)" if check.bitwise else r" (to $10^{-12}$)")
                   if check.invariants_hold else r"\textbf{are violated}")
        return (rf"\paragraph{{Independent cross-check.}} NumPy float64 at {check.gradients.points} random points "
                rf"of the invariant set: the symbolic and the NumPy gradients differ by at most "
                rf"{sci(check.gradients.max_abs_difference)} (relative; tolerance "
                rf"{sci(check.gradients.tolerance)}); after one numeric step the invariants {survive}."
                + "\n")

    def _print_Confirmation(self, confirmation) -> str:
        detail, _ = shorten_numbers(tex_text(confirmation.detail), tex=True, inline=True)
        return (r"\paragraph{NumPy confirmation.} " + detail
                + ("." if confirmation.consistent else r"; \textbf{this contradicts the symbolic verdict}.") + "\n")

    def _print_Counterexample(self, example: Counterexample) -> str:
        if getattr(example, "invariant", None) is None:  # the engine's (analyze): two twin entries that separate
            return self.twin_counterexample(example)
        inv = example.invariant
        where = "at $t = 0$, in the initial values" if example.stage == "base" else "after one step"
        lhs = self.position(inv.parameter, example.position)
        rhs = self.position(inv.parameter, example.reference)
        text = (rf"\paragraph{{Counterexample ({where}).}} {self._print(inv)} fails: "
                rf"${lhs} = {self._print(example.value)}$ but ${rhs} = {self._print(example.reference_value)}$")
        if example.point:
            values = ", ".join(rf"{self._print(sp.Symbol(name))} = {self._print(sp.sympify(value))}"
                               for name, value in example.point.items())
            text += rf" at the point ${values}$"
        status = "confirmed" if example.rechecked else r"\textbf{not confirmed}"
        return text + rf". Independent re-check: {status} ({tex_text(example.recheck)})." + "\n"

    def _print_Proof(self, proof: Proof) -> str:
        spec = proof.spec
        parts = [
            rf"\noindent\textbf{{Network.}} {network_tex(spec)}; activation "
            rf"${ACTIVATION_TEX.get(spec.activation, tex_text(spec.activation))}$ "
            rf"({CONVENTION_TEX.get(spec.activation, tex_text(proof.convention))}); "
            rf"loss {LOSS_TEX.get(spec.loss, tex_text(spec.loss))}. "
            rf"Initialization: \emph{{{tex_text(proof.init.name)}}} ({init_tex(proof.init, self)})." + "\n",
        ]
        if proof.vacuous:
            parts += [f"\n{self._print(note)}\n" for note in proof.notes]
            parts.append("\n" + r"\noindent\textbf{Verdict: proved} (vacuously: no hidden layer)." + "\n")
            return "".join(parts)
        parts.append(
            "\n" + r"\paragraph{Claim.} When training starts from this initialization, then after any number "
            r"of gradient-descent steps, for any data and any learning rate $\eta$:" + "\n"
            + r"\begin{enumerate}" + "\n"
            + "".join(rf"  \item {self._print(base.invariant)} --- {tex_text(base.invariant.meaning())};" + "\n"
                      for base, _ in proof.invariants)
            + r"\end{enumerate}" + "\n"
        )
        parts.append(r"\paragraph{Base case ($t = 0$).} The initial values satisfy each invariant:" + "\n"
                     + self.itemize(f"[{n}] {check_status(base)}" for n, (base, _) in enumerate(proof.invariants, 1)))
        parts.append(
            r"\paragraph{Inductive step ($t \to t+1$).} Take a generic point of the invariant set "
            r"(every free entry a symbol)," + "\n" + self._print(proof.tied)
            + r"with symbolic input $x$, target $y$ and learning rate $\eta$; derive "
            r"$\partial L / \partial \theta$ by backpropagation and take one step "
            r"$\theta' = \theta - \eta\, \partial L / \partial \theta$. Then:" + "\n"
            + self.itemize(f"[{n}] {check_status(step)} on ${{{self.parameter(step.invariant.parameter)}}}'$"
                           for n, (_, step) in enumerate(proof.invariants, 1))
        )
        parts.append(self.stepped_first_layer(proof))
        if proof.cross_check is not None:
            parts.append(self._print(proof.cross_check))
        if proof.confirmation is not None:
            parts.append(self._print(proof.confirmation))
        if proof.counterexample is not None:
            parts.append(self._print(proof.counterexample))
        parts += [rf"\paragraph{{Note.}} {self._print(note)}" + "\n" for note in proof.notes]
        parts.append("\n" + verdict_tex(proof) + "\n")
        return "".join(parts)

    def stepped_first_layer(self, proof: Proof) -> str:
        """The checked W1' after the step, written so that its equal rows show: every row is the
        same list of entries a_1, a_2, ... (each entry printed once, when it is short enough)."""
        stepped = proof.stepped or {}
        rows = stepped.get("W1")
        if not rows or len(rows) < 2 or len(rows[0]) > 4 or any(row != rows[0] for row in rows):
            return ""
        if max(sp.count_ops(entry) for entry in rows[0]) > STEPPED_ENTRY_MAX_OPS:
            return ""
        names = [rf"a_{{{self.indices(c)}}}" for c in range(len(rows[0]))]
        matrix = r"\begin{pmatrix}" + r" \\ ".join(" & ".join(names) for _ in rows) + r"\end{pmatrix}"
        entries = ", \\\\\n".join(rf"{name} &= {self._print(entry)}" for name, entry in zip(names, rows[0]))
        return (rf"\paragraph{{The first layer after the step.}} ${{{self.parameter('W1')}}}' = {matrix}$: every row "
                r"is the same, with" + "\n\\begin{align*}\n" + entries + "\n\\end{align*}\n")

    def itemize(self, items) -> str:
        body = "".join(rf"  \item[] {item}" + "\n" for item in items)
        return "\\begin{itemize}\n" + body + "\\end{itemize}\n"




def init_tex(init, printer: SymcheckLatexPrinter) -> str:
    if init.name == "zeros":
        return "every weight and bias is $0$"
    if init.name == "constant":
        return (rf"every entry of ${printer.layer('W', 'i')}$ is $w_i$ and every entry of "
                rf"${printer.layer('b', 'i')}$ is $\beta_i$, symbolic constants")
    return rf"seeded random rationals $k/100$, $k \in [-99, 99]$, seed {init.seed}"


def _hidden_layers(spec) -> str:
    """'the hidden layer (2 units)' or 'the hidden layers (4, 4 units)'."""
    widths = spec.hidden_widths
    if len(widths) == 1:
        return f"the hidden layer ({widths[0]} units) keeps"
    return f"the hidden layers ({', '.join(map(str, widths))} units) keep"


def verdict_tex(proof: Proof) -> str:
    spec = proof.spec
    if proof.verdict == PROVED:
        collapsed = "--".join([str(spec.input_width)] + ["1"] * spec.depth + [str(spec.output_width)])
        return (r"\noindent\textbf{Verdict: proved.} By induction on the step the invariants hold at every "
                rf"step: {_hidden_layers(spec)} identical units for ever, and the network trains like a "
                rf"{collapsed} network.")
    if proof.verdict == REFUTED:
        stage = proof.counterexample.stage if proof.counterexample else "base"
        why = ("the initialization is not in the invariant set" if stage == "base"
               else "one step leaves the invariant set")
        return rf"\noindent\textbf{{Verdict: refuted}} ({why}; see the counterexample)."
    return r"\noindent\textbf{Verdict: undecided} (some identity could be neither proved nor refuted)."


def latex(obj, **settings) -> str:
    """LaTeX for a symcheck object or a SymPy expression, in textbook notation."""
    unknown = sorted(set(settings) - set(SymcheckLatexPrinter._default_settings))
    if unknown:
        raise InvalidArgument(f"unknown LaTeX setting {unknown[0]!r}")
    printer = SymcheckLatexPrinter(settings)
    # SymPy's printer writes any object it has no method for as its repr in \mathtt: refuse instead
    printable = hasattr(obj, printer.printmethod) or any(
        hasattr(printer, f"_print_{cls.__name__}") for cls in type(obj).__mro__ if cls is not object)
    if not printable:
        raise UnsupportedObject(f"no LaTeX form for a value of type {type(obj).__name__!r}; give a "
                                "symcheck result or a SymPy expression")
    return printer.doprint(obj)

