"""Exact strings from the LaTeX printer's methods."""

import pytest
import sympy as sp
from sympy.matrices.expressions import HadamardProduct, MatrixSymbol, Transpose

from symcheck import MLP, derive, prove_symmetry
from symcheck.errors import InvalidArgument
from symcheck.model.activations import f, normal_cdf, relu, sigmoid
from symcheck.symbolic.derivation import Activate, Equation, OutputGradient
from symcheck.render.latex import SymcheckLatexPrinter, latex
from symcheck.render.text import text as plain_text
from symcheck.render.texutil import tex_text

W1 = MatrixSymbol("W1", 2, 3)
h1 = MatrixSymbol("h1", 2, 1)
z1 = MatrixSymbol("z1", 2, 1)
delta2 = MatrixSymbol("delta2", 1, 1)


@pytest.mark.parametrize("expr, bracket, subscript", [
    (W1, "W^{[1]}", "W_{1}"),
    (MatrixSymbol("dL_dW2", 1, 2), r"\frac{\partial L}{\partial W^{[2]}}", r"\frac{\partial L}{\partial W_{2}}"),
    (Transpose(h1), r"h^{[1]\top}", r"h_{1}^{\top}"),
    (MatrixSymbol("x", 3, 1).T, r"x^{\top}", r"x^{\top}"),
    (Activate("tanh", z1, 1), r"\sigma'(z^{[1]})", r"\sigma'(z_{1})"),
    (Activate("f", z1), r"f(z^{[1]})", r"f(z_{1})"),
    (HadamardProduct(MatrixSymbol("dL_dh1", 2, 1), Activate("tanh", z1, 1)),
     r"\frac{\partial L}{\partial h^{[1]}} \odot \sigma'(z^{[1]})", r"\frac{\partial L}{\partial h_{1}} \odot \sigma'(z_{1})"),
    (sp.Symbol("W2_0_1"), "W^{[2]}_{12}", "(W_{2})_{12}"),
    (sp.Symbol("dW1_1_0"), r"\frac{\partial L}{\partial W^{[1]}_{21}}", r"\frac{\partial L}{\partial (W_{1})_{21}}"),
    (sp.Symbol("delta1_0"), r"\delta^{[1]}_{1}", r"(\delta_{1})_{1}"),
    (sp.Symbol("x_1"), "x_{2}", "x_{2}"),
    (sp.Symbol("eta"), r"\eta", r"\eta"),
    (sp.Symbol("beta_1"), r"\beta_{1}", r"\beta_{1}"),
])
def test_notation(expr, bracket, subscript):
    assert latex(expr) == bracket
    assert latex(expr, layer_notation="subscript") == subscript


def test_zero_based_indices_on_request():
    assert latex(sp.Symbol("W2_0_1"), index_base=0) == "W^{[2]}_{01}"
    assert latex(sp.Symbol("W2_10_1")) == "W^{[2]}_{11,2}"  # two-digit indices are separated


def test_output_gradients():
    o, y = MatrixSymbol("o", 2, 1), MatrixSymbol("y", 2, 1)
    assert latex(OutputGradient("mse", o, y)) == "o - y"
    assert latex(OutputGradient("bce", o, y)) == r"\operatorname{sigmoid}(o) - y"
    assert latex(OutputGradient("ce", o, y)) == r"\operatorname{softmax}(o) \, (\mathbf{1}^{\top} y) - y"


def test_positive_terms_first_and_activation_functions():
    o, y, z = sp.symbols("o_0 y_0 z1_0", real=True)
    assert latex(sigmoid(o) - y) == r"\operatorname{sigmoid}(o_{1}) - y_{1}"
    assert latex(sp.Heaviside(z, 0)) == r"\mathbf{1}\left[z^{[1]}_{1} > 0\right]"
    assert latex(relu(z)) == r"\operatorname{ReLU}(z^{[1]}_{1})"
    assert latex(f(z)) == r"f(z^{[1]}_{1})"


def test_gelu_derivative_prints_phi_in_text_and_latex():
    """gelu' is Phi + x phi with Phi one function: normal_cdf in the text, \\Phi in LaTeX, no erfc."""
    z = sp.Symbol("z1_0", real=True)
    assert latex(normal_cdf(z)) == r"\Phi\left(z^{[1]}_{1}\right)"
    assert latex(normal_cdf(z) ** 2) == r"\Phi^{2}\left(z^{[1]}_{1}\right)"
    derivation = derive(MLP((1, 1, 1), "gelu", "mse"))
    [delta] = [line for line in plain_text(derivation).splitlines() if line.startswith("  delta1_0 = ")]
    assert "normal_cdf(z1_0)" in delta and "erf" not in delta
    assert r"\Phi\left(z^{[1]}_{1}\right)" in latex(derivation) and "erf" not in latex(derivation)


def test_equations_and_update_rule():
    equations = derive(MLP((2, 2, 1), "tanh", "mse")).equations
    assert latex(equations[0]) == "z^{[1]} = W^{[1]} x + b^{[1]}"
    update = [e for e in equations if e.stage == "update"][0]
    assert latex(update) == r"W^{[1]} \leftarrow W^{[1]} - \eta \frac{\partial L}{\partial W^{[1]}}"
    assert latex(Equation("backward", 1, MatrixSymbol("dL_dh1", 2, 1), Transpose(MatrixSymbol("W2", 1, 2)) * delta2,
                          "(3)")) == r"\frac{\partial L}{\partial h^{[1]}} = W^{[2]\top} \delta^{[2]}"


def test_derivation_has_every_stage_and_the_scalar_form():
    text = latex(derive(MLP((2, 2, 1), "sigmoid", "bce")))
    for piece in (r"\paragraph{Forward pass.}", r"\paragraph{Entry by entry.}", r"\tag*{by (3)}",
                  r"\delta^{[1]} &= \frac{\partial L}{\partial h^{[1]}} \odot \sigma'(z^{[1]})",
                  r"\frac{\partial L}{\partial W^{[2]}_{11}} &= \delta^{[2]}_{1} h^{[1]}_{1}", "on all 9 gradient entries"):
        assert piece in text
    large = latex(derive(MLP((3, 4, 2), "tanh", "mse")))
    assert "Entry by entry" not in large  # above the scalar-form size bound


def test_proof_parts():
    proof = prove_symmetry(MLP((2, 2, 1), "tanh", "mse"))
    printer = SymcheckLatexPrinter()
    _, step = proof.invariants[0]
    assert printer._print(step.invariant) == "$W^{[1]}$ has equal rows"
    assert printer._print(step) == "$W^{[1]}$ has equal rows --- proved: 2 identities (2 by syntactic identity)"
    text = latex(proof)
    assert r"\textbf{Verdict: proved.}" in text and "2--1--1 network" in text
    assert r"W^{[1]} &= \begin{pmatrix}u_{1} & u_{2} \\ u_{1} & u_{2}\end{pmatrix}" in text


def test_refuted_proof_prints_the_exact_counterexample():
    proof = prove_symmetry(MLP((2, 2, 1), "tanh", "mse"), "random", seed=0)
    assert proof.verdict == "refuted"
    text = latex(proof.counterexample)
    value = latex(proof.counterexample.value)
    assert text.startswith(r"\paragraph{Counterexample (at $t = 0$, in the initial values).}")
    assert value in text and "Independent re-check: confirmed (" in text and "not confirmed" not in text


def test_large_matrices_are_elided():
    printer = SymcheckLatexPrinter()
    matrix = tuple(tuple(sp.Symbol(f"W1_{r}_{c}") for c in range(8)) for r in range(6))
    text = printer.matrix(matrix)
    assert r"\cdots" in text and r"\vdots" in text and "W^{[1]}_{68}" in text


def test_prose_is_escaped():
    assert tex_text("a_b & 50% #1 {x} ~ ^") == r"a\_b \& 50\% \#1 \{x\} \textasciitilde{} \textasciicircum{}"


def test_bad_settings_are_rejected():
    with pytest.raises(InvalidArgument):
        latex(W1, layer_notation="superscript")


def test_notebook_forms():
    derivation = derive(MLP((2, 2, 1), "tanh", "mse"))
    assert derivation.equations[0]._repr_latex_() == r"$\displaystyle z^{[1]} = W^{[1]} x + b^{[1]}$"
    shown = derivation._repr_latex_()
    assert shown.startswith(r"$$\begin{aligned}") and shown.endswith(r"\end{aligned}$$")
    assert r"\sigma = \tanh" in shown and "paragraph" not in shown
    proof = prove_symmetry(MLP((2, 2, 1), "tanh", "mse"))
    shown = proof._repr_latex_()
    assert shown.startswith(r"$$\begin{array}{l}") and shown.endswith(r"\end{array}$$")  # math mode only
    assert "paragraph" not in shown and "itemize" not in shown
    assert r"\text{MLP 2-2-1 (1 hidden layer), activation tanh, loss mse, init constant}" in shown
    for claim in (r"W^{[1]}\ \text{has equal rows: base proved, step proved}",
                  r"b^{[1]}\ \text{has equal entries: base proved, step proved}",
                  r"W^{[2]}\ \text{has equal columns: base proved, step proved}"):
        assert claim in shown
    assert r"\textbf{Verdict: proved}" in shown


def test_proof_latex_names_the_activation_and_shows_the_stepped_first_layer():
    from symcheck import prove_symmetry

    text = latex(prove_symmetry(MLP((2, 2, 1), "tanh", "mse"), "constant"))
    assert r"activation $\tanh$ ($\tanh$ is smooth)" in text
    assert r"{W^{[1]}}' = \begin{pmatrix}a_{1} & a_{2} \\ a_{1} & a_{2}\end{pmatrix}" in text
    assert r"a_{1} &= u_{1} - \eta v_{1} x_{1}" in text
    assert "e-1" not in text  # float confirmation numbers typeset as powers of ten
