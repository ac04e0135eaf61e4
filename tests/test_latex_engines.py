"""LaTeX for the general proof, analyses, traces and variance derivations: printer methods,
documents that compile with the real toolchain, and byte-identical output."""

import subprocess
import sys
from dataclasses import replace
from fractions import Fraction

import pytest
import sympy as sp

from symcheck.induction.analysis import analyze
from symcheck.cli import main
from symcheck.general import prove_general
from symcheck.general.lemmas import Check
from symcheck.handout.cases import CASES, CaseRow, CaseStep, case_table, trace_consistent
from symcheck.handout.scaling import LayerScales
from symcheck.initialization.patterns import parse_init
from symcheck.errors import UnsupportedObject
from symcheck.render.documents import document_for, fragment_for
from symcheck.render.latex import SymcheckLatexPrinter, latex
from symcheck.model.optimizers import OPTIMIZERS
from symcheck.model.sentence import LayerQuantity, Relation, Sentence, Variable
from symcheck.render.sentence_text import sentence_text
from symcheck.model.spec import MLP
from symcheck.induction.trace import Witness, trace
from symcheck.initialization.variance import (DerivationStep, E, Var, W_i, all_derivations, eq, fan_in, he_rule, said,
                                              uniform_bound, xavier_rule)
from texrun import compile_tex, pdf_text
from rewording import in_other_prose, math_parts

TANH_221 = MLP((2, 2, 1), "tanh", "mse")


@pytest.fixture(scope="module")
def general():
    return prove_general()


# ------------------------------------------------------------------ exact strings

def test_hyperparameters_in_formulas_read_as_in_the_rules():
    lam, eps, theta = sp.Symbol("lam", positive=True), sp.Symbol("eps", positive=True), sp.Symbol("theta")
    assert latex(lam * theta) == r"\lambda \theta" and latex(eps) == r"\varepsilon"


def test_an_update_rule_is_typeset_from_its_structure():
    sgd, adam = OPTIMIZERS["sgd"].rule, OPTIMIZERS["adam"].rule
    assert sentence_text(sgd) == "theta <- theta - eta g" and latex(sgd) == r"$\theta \leftarrow \theta - \eta g$"
    assert latex(adam) == (
        r"$t \leftarrow t + 1$; $m \leftarrow \beta_{1} m + (1 - \beta_{1}) g$; "
        r"$v \leftarrow \beta_{2} v + (1 - \beta_{2}) g^{2}$; "
        r"$\theta \leftarrow \theta - \eta (m / (1 - \beta_{1}^{t})) / (\sqrt{v / (1 - \beta_{2}^{t})} + \varepsilon)$")
    # Adam's b1 (PyTorch's name, kept in text) is beta_1, not the bias b_1 of layer 1, in either notation
    assert latex(adam, layer_notation="subscript") == latex(adam)
    assert sentence_text(adam).startswith("t <- t + 1; m <- b1 m + (1 - b1) g; v <- b2 v")
    # h_i is a layer's quantity and follows --notation; the mask m_i is not
    dropout = OPTIMIZERS["dropout"].rule
    assert r"$h^{[i]} \odot m_{i}$" in latex(dropout)
    assert r"$h_{i} \odot m_{i}$" in latex(dropout, layer_notation="subscript")
    assert r"$p = 1 / 2$: each entry of $m_{i}$ is $0$ or $2$" in latex(dropout)
    assert latex(OPTIMIZERS["adamw"].rule).endswith(
        r"$\theta \leftarrow \theta - \eta (\hat{m} / (\sqrt{\hat{v}} + \varepsilon) + \lambda \theta)$")
    assert r"$g \leftarrow g \cdot c / \max(c, \lVert g \rVert)$ with $\lVert g \rVert$" in \
        latex(OPTIMIZERS["clip"].rule)


def test_a_quotient_is_tight_between_atoms_and_spaced_otherwise():
    assert sentence_text(OPTIMIZERS["weight_decay"].rule).endswith("(L2 penalty lam/2 |theta|^2)")
    assert sentence_text(OPTIMIZERS["rmsprop"].rule).endswith("theta <- theta - eta g / (sqrt(v) + eps)")
    assert sentence_text(OPTIMIZERS["dropout"].note).endswith("with probability 1 - 2/2^k")
    assert latex(OPTIMIZERS["dropout"].note).endswith(r"with probability $1 - 2 / 2^{k}$")


def test_prose_is_escaped_and_formulas_beside_it_are_math():
    assert latex(Sentence(("a generic point, 50% & more",))) == r"a generic point, 50\% \& more"
    layers = Sentence((LayerQuantity("z", "1"), " and ", LayerQuantity("h", "1"), " have equal entries"))
    assert latex(layers) == "$z^{[1]}$ and $h^{[1]}$ have equal entries"
    assert latex(layers, layer_notation="subscript") == "$z_{1}$ and $h_{1}$ have equal entries"
    assert latex(Sentence((Relation(Variable("K"), ">=", 1),))) == r"$K \ge 1$"
    assert latex(Sentence((Variable("eta", "i,r"), " and ", Variable("theta", "r")))) == \
        r"$\eta_{i,r}$ and $\theta_{r}$"


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
    from symcheck.render.text import text as result_text

    a = analyze(MLP((3, 1), "sigmoid", "bce"), parse_init("W=0,b=0"), "sgd")
    assert a.regression and all(c.verdict == "refuted" for c in a.regression)
    assert "the weights separate after one step" in latex(a) and "the weights separate" in result_text(a)
    kept = replace(a, regression=tuple(replace(c, verdict="proved") for c in a.regression))
    for text in (latex(kept), result_text(kept)):
        assert "separate after one step" not in text
        assert "that the weights separate is not shown" in text and "(proved)" in text


def test_uniform_law_is_typeset_with_a_real_minus():
    (law,) = uniform_bound().assumptions
    assert latex(law) == r"$U(- a, a)$ has density $\frac{1}{2 a}$ on $\left[- a, a\right]$ and mean 0"
    assert sentence_text(law) == "U(-a, a) has density 1/(2 a) on [-a, a] and mean 0"


# ------------------------------------------------------------------ rules and notes: prose and formulas kept apart

@pytest.fixture(scope="module")
def dropout_analysis():
    return analyze(TANH_221, parse_init("W=0,b=0"), "dropout", numeric=False)


@pytest.mark.parametrize("name", [name for name, o in OPTIMIZERS.items()
                                  if any(isinstance(part, str) for part in o.rule.parts)])
def test_rewording_a_rule_cannot_change_its_formulas(name):
    rule = OPTIMIZERS[name].rule
    reworded = in_other_prose(rule)
    assert sentence_text(reworded) != sentence_text(rule) and latex(reworded) != latex(rule)
    for notation in ("bracket", "subscript"):
        assert math_parts(latex(reworded, layer_notation=notation)) == math_parts(latex(rule, layer_notation=notation))
        assert math_parts(latex(rule, layer_notation=notation))  # the rule has formulas to compare


def test_the_analysis_latex_prints_the_rule_and_its_note_from_their_structure(dropout_analysis):
    optimizer = dropout_analysis.optimizer
    reworded = replace(dropout_analysis, optimizer=replace(optimizer, rule=in_other_prose(optimizer.rule),
                                                           note=in_other_prose(optimizer.note)))
    before, after = latex(dropout_analysis), latex(reworded)
    assert before != after and math_parts(before) == math_parts(after)
    assert "[, AN INVERTED-DROPOUT MASK WITH ]$p = 1 / 2$" in after
    assert " units with probability $1 - 2 / 2^{k}$" in before


def test_the_analysis_latex_prints_its_notes_from_their_structure():
    regression = analyze(MLP((3, 4), "identity", "ce"), parse_init("W=0,b=0"), "sgd", numeric=False)
    (note,) = regression.notes
    assert sentence_text(note).startswith("K = 0: no hidden layer")
    reworded = replace(regression, notes=(in_other_prose(note),))
    before, after = latex(regression), latex(reworded)
    assert before != after and math_parts(before) == math_parts(after)
    assert r"\paragraph{Note.} $K = 0$: no hidden layer" in before
    assert r"\paragraph{Note.} $K = 0$[: NO HIDDEN LAYER" in after


def test_every_optimizer_rule_and_note_prints_from_structure():
    for name in OPTIMIZERS:
        printed = latex(analyze(TANH_221, parse_init("W=0,b=0"), name, numeric=False))
        assert rf"\textbf{{Optimizer.}} {name.replace('_', chr(92) + '_')}: {latex(OPTIMIZERS[name].rule)}" in printed
        assert r"\textless{}" not in printed and "<-" not in printed  # no arrow left in prose
    for widths in ((3, 4), (3, 1)):  # K = 0: notes and regression claims
        assert r"\paragraph{Note.} $K = 0$" in latex(analyze(MLP(widths, "identity", "mse"), parse_init("constant"),
                                                              "adam", numeric=False))


#: the text of every rule, as ``analyze`` and ``prove`` print it (and the JSON's ``rule``)
RULE_TEXTS = {
    "sgd": "theta <- theta - eta g",
    "minibatch": "theta <- theta - eta (g(x1, y1) + g(x2, y2)) (loss summed over the batch)",
    "momentum": "m <- mu m + g; theta <- theta - eta m",
    "nesterov": "m <- mu m + g; theta <- theta - eta (g + mu m)",
    "rmsprop": "v <- rho v + (1 - rho) g^2; theta <- theta - eta g / (sqrt(v) + eps)",
    "adam": "t <- t + 1; m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2; "
            "theta <- theta - eta (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)",
    "weight_decay": "theta <- theta - eta (g + lam theta)  (L2 penalty lam/2 |theta|^2)",
    "adamw": "Adam's m, v, t; theta <- theta - eta (m_hat / (sqrt(v_hat) + eps) + lam theta)",
    "adam_l2": "g <- g + lam theta (coupled L2, as torch.optim.Adam(weight_decay=lam)); then Adam's m, v, t and "
               "theta <- theta - eta m_hat / (sqrt(v_hat) + eps)",
    "clip": "g <- g * c / max(c, |g|) with |g| the global norm over all parameters; theta <- theta - eta g",
    "dropout": "theta <- theta - eta g, g computed with h_i replaced by h_i (.) m_i, an inverted-dropout mask with "
               "p = 1/2: each entry of m_i is 0 or 2",
    "per_unit_lr": "theta_r <- theta_r - eta_r g_r, a learning rate eta_{i,r} per hidden unit r of layer i "
                   "(its incoming row and bias)",
    "gauss_seidel": "one unit at a time: for each layer, for each unit r, recompute g at the current parameters "
                    "and update r's incoming row and bias",
    "noise": "theta <- theta - eta g + xi, xi an arbitrary perturbation of every entry",
}


@pytest.mark.parametrize("name", RULE_TEXTS)
def test_the_text_of_a_rule_is_printed_from_its_structure(name):
    assert sentence_text(OPTIMIZERS[name].rule) == RULE_TEXTS[name]
