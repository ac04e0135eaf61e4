"""LaTeX for the general proof, analyses, traces and variance derivations: printer methods,
documents that compile with the real toolchain, and byte-identical output."""

import subprocess
import sys
from fractions import Fraction

import pytest
import sympy as sp

from symcheck.induction.analysis import analyze
from symcheck.cli import main
from symcheck.general import prove_general
from symcheck.general.lemmas import Check
from symcheck.model.sentence import Sentence
from symcheck.handout.cases import CASES, CaseRow, CaseStep, case_table, trace_consistent
from symcheck.handout.scaling import LayerScales
from symcheck.initialization.patterns import parse_init
from symcheck.errors import UnsupportedObject
from symcheck.render.documents import document_for, fragment_for
from symcheck.render.latex import SymcheckLatexPrinter, latex
from symcheck.render.plain_math import plain_math_tex
from symcheck.model.spec import MLP
from symcheck.induction.trace import Witness, trace
from symcheck.initialization.variance import (DerivationStep, E, Var, W_i, all_derivations, eq, fan_in, he_rule, said,
                                              xavier_rule)
from texrun import compile_tex, pdf_text

TANH_221 = MLP((2, 2, 1), "tanh", "mse")


@pytest.fixture(scope="module")
def general():
    return prove_general()


# ------------------------------------------------------------------ exact strings

@pytest.mark.parametrize("text, expected", [
    ("W_1 = 1 u^T", r"$W_{1} = \mathbf{1} u^{\top}$"),
    ("dL/dh_{i-1} = W_i^T delta_i", r"$\partial L/\partial h_{i-1} = W_{i}^{\top} \delta_{i}$"),
    ("z_1 and h_1 have equal entries", "$z_{1}$ and $h_{1}$ have equal entries"),
    ("K >= 1 and i = 1..K", r"$K \ge 1$ and $i = 1 \dots K$"),
    ("W_i is n_i x n_{i-1}", r"$W_{i}$ is $n_{i} \times n_{i-1}$"),
    ("theta <- theta - eta g", r"$\theta \leftarrow \theta - \eta g$"),
    ("a generic point, 50% & more", r"a generic point, 50\% \& more"),
    ("w~_{K+1} = n_K v", r"$\tilde{w}_{K+1} = n_{K} v$"),
])
def test_plain_math(text, expected):
    assert plain_math_tex(text) == expected


def test_derivation_step_prints_its_equation_and_reason():
    step = DerivationStep(eq(Var(W_i), 2 / fan_in), said("solve"))
    assert latex(step) == (r"\operatorname{Var}\left(W^{[i]}\right) &= \frac{2}{\mathrm{fan}_{\mathrm{in}}} \\"
                           "\n" + r"&\qquad\parbox[t]{0.75\linewidth}{\raggedright solve}")
    # layer quantities follow --notation like every other output
    assert latex(E(sp.Symbol("z_i", real=True) ** 2)) == r"E\left[\left(z^{[i]}\right)^{2}\right]"
    assert latex(E(sp.Symbol("z_i", real=True) ** 2), layer_notation="subscript") == r"E\left[z_{i}^{2}\right]"


def test_variance_derivation_ends_with_the_checked_result():
    text = latex(he_rule())
    assert text.startswith(r"\paragraph{He (Kaiming): keep $\operatorname{Var}(z)$ through a ReLU layer.}")
    assert r"\operatorname{Var}\left(W^{[i]}\right) &= \frac{2}{\mathrm{fan}_{\mathrm{in}}}" in text
    assert r"\frac{2}{\mathrm{fan}_{\mathrm{in}} + \mathrm{fan}_{\mathrm{out}}}" in latex(xavier_rule())


def test_lemma_check_and_matrix_entry():
    printer = SymcheckLatexPrinter()
    checked = Sentence(("lemma update is checked",))
    assert printer._print(Check(checked, True)) == r"\item[$\surd$] lemma update is checked" + "\n"
    failing = printer._print(Check(checked, False, Sentence(("lemma update fails",))))
    assert r"\textbf{fails}" in failing and r"\emph{Why:} lemma update fails" in failing
    u = sp.MatrixSymbol("u", 3, 1)
    x = sp.MatrixSymbol("x", 3, 2)
    k, j = sp.symbols("k j", integer=True)
    assert printer._print(u[k, 0] * x[k, j]) == "u_{k} x_{kj}"


def test_general_proof_numbers_its_lemmas_and_cites_premises(general):
    text = latex(general)
    assert r"\paragraph{Lemma 1 (forward-first).}" in text
    assert r"\emph{Uses Lemmas 1, 2.}" in text  # forward-layers
    assert r"\sum_{k=0}^{d - 1} u_{k} x_{kc}" in text  # the entry SymPy derived (row r, column c)
    assert "[i,\\, j]" not in text and "for every row $r$" in text  # entry indices never clash with the layer i
    assert text.rstrip().endswith("training from the invariant set never leaves it.")
    assert f"({len(general.lemmas)} lemmas," in text


def test_dropped_hypothesis_names_the_failing_lemma():
    text = latex(prove_general(drop=["middle-weight"]))
    assert r"\textbf{(fails)}" in text and r"\textbf{Verdict: refuted}" in text


def test_analysis_and_trace_pieces():
    printer = SymcheckLatexPrinter()
    assert printer.group_tex("m:W1") == r"\mathrm{m}\bigl(W^{[1]}\bigr)"
    gradient = Witness("dL/db2[0]", {}, "1", "", False, entries=(("b2", (0,)),), gradient=True)
    assert printer.witness_entry(gradient) == r"\frac{\partial L}{\partial b^{[2]}_{1}}"
    assert printer.point_tex({"y^1_0": Fraction(4, 7), "eta": Fraction(1, 8)}, trace=True) == \
        r"\eta = \frac{1}{8}, y^{(1)}_{1} = \frac{4}{7}"
    witness = Witness("W1[1, 0]", {"x^2_1": Fraction(-1, 3)}, "0.5", "0.5", True, entries=(("W1", (1, 0)),))
    assert printer.witness_tex(witness) == (r"$W^{[1]}_{21} = 0.5$ at $x^{(2)}_{2} = - \frac{1}{3}$; "
                                            r"replayed: $= 0.5$ (confirmed)")
    # 15-digit witness values are shown to 4 significant digits, with \approx where rounded
    long = Witness("W1[1, 0] vs W1[0, 0]", {}, "0.0266440356670329 vs 3.14673953049789e-5", "-0.0500000000000000", True,
                   entries=(("W1", (1, 0)), ("W1", (0, 0))))
    assert printer.witness_tex(long) == (r"$W^{[1]}_{21} \text{ vs } W^{[1]}_{11} \approx 0.02664 \text{ vs } "
                                         r"3.147 \times 10^{-5}$; replayed: $= -0.05$ (confirmed)")


def test_subscript_notation_reaches_analysis():
    text = latex(analyze(TANH_221, parse_init("W=0,b=0"), "sgd"), layer_notation="subscript")
    assert "$W_{1}$: twins of layer 1 keep equal incoming rows" in text
    assert "W^{[1]}" not in text


def test_notebook_forms_are_math_only(general):
    objects = (general, analyze(TANH_221, parse_init("W=0,b=0"), "sgd"),
               trace(TANH_221, parse_init("W=0,b=0"), 1), he_rule())
    for obj in objects:
        shown = obj._repr_latex_()
        assert shown.startswith("$$") and shown.endswith("$$")
        assert r"\paragraph" not in shown and r"\begin{itemize}" not in shown
    assert r"\textbf{Verdict: proved}" in general._repr_latex_()


def test_documents_refuse_other_objects():
    with pytest.raises(UnsupportedObject):
        fragment_for(object())
    with pytest.raises(UnsupportedObject):
        document_for((he_rule(), 3))


# ------------------------------------------------------------------ handout pieces

def test_layer_scales_come_from_the_derivations():
    scales = LayerScales.of(1, 3, 5)
    assert (scales.lecun, scales.xavier, scales.he) == (sp.Rational(1, 3), sp.Rational(1, 4), sp.Rational(2, 3))


def test_case_rows_use_the_init_patterns_of_trace():
    """Each row starts from exactly the values ``symcheck trace --init PATTERN --seed S`` uses."""
    table = case_table(TANH_221, (1, 2), (1,), seed=3, steps=1)
    for (label, pattern), row in zip(CASES, table.rows):
        assert row.label == label and row.init == parse_init(pattern, 3)
    random_biases = table.rows[1].init.values(TANH_221)
    assert random_biases["W1"] == ((0, 0), (0, 0)) and random_biases["b1"][0] != random_biases["b1"][1]


def test_trace_cross_check_can_fail():
    spec = TANH_221
    zeros = parse_init("W=0,b=0")
    traced = trace(spec, zeros, 1)
    honest = CaseRow("a", zeros,
                     (CaseStep(1, ("b2",), ("W1", "b1", "W2"), (), True, ("b2",)),))
    assert trace_consistent(honest, traced)
    # a table that claims W1 moves, where the trace proves its gradient is 0 for every input
    wrong = CaseRow("a", zeros,
                    (CaseStep(1, ("W1", "b2"), ("b1", "W2"), (), True, ("W1", "b2")),))
    assert not trace_consistent(wrong, traced)
    untied = CaseRow("a", zeros,
                     (CaseStep(1, ("b2",), ("W1", "b1", "W2"), (), False, ("b2",)),))
    assert not trace_consistent(untied, traced)


# ------------------------------------------------------------------ real compilation

COMMANDS = {
    "general": (["prove", "--general"], 0,
                ["The symmetry theorem for every depth", "Lemma 1 (forward-first)", "Part II. A mini-batch",
                 "Lemma 25 (cross-check)", "Verdict: proved (25 lemmas"]),
    "general_drop": (["prove", "--general", "--drop", "output-weight"], 1,
                     ["Hypotheses dropped", "(fails)", "Verdict: refuted"]),
    "analyze_zeros": (["analyze", "--widths", "2,2,1"], 0,
                      ["Twin classes", "effective width", "Dead network", "Verdict: proved"]),
    "analyze_dropout": (["analyze", "--widths", "2,2,1", "--init", "constant", "--optimizer", "dropout"], 1,
                        ["Counterexample.", "confirmed.", "Verdict: refuted."]),
    "analyze_logistic": (["analyze", "--widths", "3,1", "--loss", "bce", "--init", "zeros"], 0,
                         ["No hidden layer", "Claim (to refute)"]),
    "trace": (["trace", "--widths", "2,2,1", "--steps", "2", "--notation", "subscript"], 0,
              ["Gradient descent step by step", "Step 0 (initial values)", "Step 2.", "replayed"]),
    "init_he": (["init", "he_normal", "--shape", "5,3"], 0,
                ["Why the scaled initializations", "Forward variance recursion", "He (Kaiming)", "solve"]),
    "init_xavier": (["init", "xavier_uniform", "--shape", "5,3"], 0,
                    ["Xavier (Glorot)", "Bound of a uniform law"]),
}


@pytest.mark.latex
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_standalone_output_compiles(name, tmp_path, capsys):
    argv, code, expected = COMMANDS[name]
    assert main([*argv, "--format", "latex", "--standalone"]) == code
    tex = tmp_path / f"{name}.tex"
    tex.write_text(capsys.readouterr().out, encoding="utf-8")
    text = pdf_text(compile_tex(tex))
    for line in expected:
        assert line in text, f"{line!r} not in the PDF of {name}"
    assert "not confirmed" not in text  # every re-check the output shows must have confirmed


@pytest.mark.latex
def test_fragments_are_inputable(tmp_path, general):
    fragments = [fragment_for(general), fragment_for(all_derivations()),
                 fragment_for(trace(TANH_221, parse_init("W=0,b=0"), 1))]
    for number, fragment in enumerate(fragments):
        assert r"\documentclass" not in fragment
        (tmp_path / f"part{number}.tex").write_text(fragment, encoding="utf-8")
    wrapper = tmp_path / "wrapper.tex"
    wrapper.write_text("\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage{booktabs}\n"
                       "\\begin{document}\n" + "".join(f"\\input{{part{n}}}\n" for n in range(len(fragments)))
                       + "\\end{document}\n", encoding="utf-8")
    text = pdf_text(compile_tex(wrapper))
    assert "Lemma 3 (forward-layers)" in text and "Standard deviation of" in text and "Step 1." in text


@pytest.mark.parametrize("argv", [
    ["prove", "--general", "--format", "latex", "--standalone"],
    ["trace", "--widths", "2,2,1", "--steps", "2", "--format", "latex", "--standalone"],
    ["analyze", "--widths", "2,2,1", "--init", "constant", "--optimizer", "dropout", "--format", "latex"],
])
def test_latex_is_byte_identical_across_processes(argv):
    command = [sys.executable, "-m", "symcheck", *argv]
    first = subprocess.run(command, capture_output=True, text=True).stdout
    second = subprocess.run(command, capture_output=True, text=True).stdout
    assert first == second and first.strip()


def test_regression_verdict_follows_the_claims():
    """K = 0: 'the weights separate' only when every claim that they stay equal was refuted."""
    from dataclasses import replace

    from symcheck.render.text import text as result_text

    a = analyze(MLP((3, 1), "sigmoid", "bce"), parse_init("W=0,b=0"), "sgd")
    assert a.regression and all(c.verdict == "refuted" for c in a.regression)
    assert "the weights separate after one step" in latex(a) and "the weights separate" in result_text(a)
    kept = replace(a, regression=tuple(replace(c, verdict="proved") for c in a.regression))
    for text in (latex(kept), result_text(kept)):
        assert "separate after one step" not in text
        assert "that the weights separate is not shown" in text and "(proved)" in text


def test_uniform_law_is_typeset_with_a_real_minus():
    assert plain_math_tex("U(-a, a) has density 1/(2a) on [-a, a]") == \
        r"$U(- a,\, a)$ has density $1 /(2 a)$ on $[- a,\, a]$"
    assert plain_math_tex("is a column of ones") == "is a column of ones"  # the article stays prose
