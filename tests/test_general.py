"""The general symmetry proof: lemmas hold, weakened hypotheses fail with the lemma
named, the output formats, the command line, the collapse theorem, and a Hypothesis
cross-validation of the derived formulas against the concrete engine."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sympy import MatrixSymbol, OneMatrix

from symcheck.model.activations import f, f_prime
from symcheck.symbolic.backprop import backprop, data_symbols
from symcheck.cli import main
from symcheck.exact.evaluation import flatten
from symcheck.symbolic.crosscheck import compare_gradients
from symcheck.oracle.training import sample_example
from symcheck.general import HYPOTHESES, prove_general
from symcheck.general.collapse import numeric_collapse
from symcheck.general.instantiate import instantiate_gradients
from symcheck.general.lemmas import N_CUR, N_PREV, Setting, backward_output
from symcheck.render.data import data as result_data
from symcheck.render.text import text as result_text
from symcheck.general.structure import (
    CONSTANT, EQUAL_COLUMNS, EQUAL_ROWS, check_structure, dimension, sigma, sigma_prime,
)
from symcheck.exact.decide import decide_equal
from symcheck.exact.verdict import PROVED
from symcheck.induction.subspace import tie_subspace
from symcheck.induction.twins import full_partition
from symcheck.model.spec import MLP


@pytest.fixture(scope="module")
def proof():
    return prove_general()


@pytest.fixture(scope="module")
def lemmas(proof):
    return {lemma.name: lemma for lemma in proof.lemmas}


# ------------------------------------------------------------------ the proof

def test_general_proof_is_proved_with_every_lemma_checked(proof):
    assert proof.verdict == "proved"
    assert all(lemma.checked for lemma in proof.lemmas)
    assert not proof.failed
    names = [lemma.name for lemma in proof.lemmas]
    for expected in ("forward-first", "forward-middle", "forward-layers", "output-gradient",
                     "backward-output", "backward-middle", "backward-first", "backward-layers",
                     "update", "steps", "batch/steps", "collapse", "cross-check"):
        assert expected in names


def test_lemmas_are_about_symbolic_widths_and_uninterpreted_functions(lemmas):
    """The derived entries mention the width symbols and sigma, never a number of units."""
    middle = lemmas["forward-middle"]
    z_entry = middle.checks[0].entry
    assert dimension("n_{i-1}") in z_entry.free_symbols
    assert lemmas["forward-middle"].checks[1].entry.has(sigma)
    assert lemmas["backward-middle"].checks[0].entry.has(sigma_prime)
    # the loss gradient g is an arbitrary m x B matrix in the batch lemmas
    batch = lemmas["batch/output-gradient"].derived["dL/dW_{K+1}"]
    assert dimension("B") in set(batch.shape) | {s for M in batch.atoms(MatrixSymbol) for s in M.shape}


def test_middle_layer_entries_carry_the_width_factor(lemmas):
    z_entry = lemmas["forward-middle"].checks[0].entry
    c, beta, s = sp.Symbol("c_i", real=True), sp.Symbol("beta_i", real=True), sp.Symbol("s", real=True)
    assert sp.expand(z_entry - (N_PREV * c * s + beta)) == 0
    back = lemmas["backward-middle"].derived["dL/dh_{i-1}"]
    gamma, zeta = sp.Symbol("gamma", real=True), sp.Symbol("zeta", real=True)
    entry = back[0, 0].doit()
    assert sp.expand(entry - N_CUR * c * gamma * sigma_prime(zeta)) == 0


# ------------------------------------------------------------------ structure checks can fail

def test_structure_check_rejects_a_generic_matrix_and_accepts_ones():
    n, p = dimension("n"), dimension("p")
    generic = MatrixSymbol("A", n, p)
    for prop in (EQUAL_ROWS, EQUAL_COLUMNS, CONSTANT):
        assert not check_structure("A", generic, prop).holds
        assert check_structure("J", sp.Symbol("c") * OneMatrix(n, p), prop).holds
    row = OneMatrix(n, 1) * MatrixSymbol("u", p, 1).T
    assert check_structure("1 u^T", row, EQUAL_ROWS).holds
    assert not check_structure("1 u^T", row, EQUAL_COLUMNS).holds


def test_dropping_output_weight_structure_fails_backward_output_with_a_verified_witness():
    lemma = backward_output(Setting(dropped=frozenset({"output-weight"})))
    assert not lemma.checked
    assert lemma.name == "backward-output"
    claim = lemma.checks[0]
    reason = result_text(claim.reason)
    assert "dL/dh_K" in reason and "depends on the row index i" in reason
    witness = claim.witness
    assert witness is not None
    # re-check the witness independently: W^T g in NumPy has the two entries reported
    W = np.array(witness["values"]["W_{K+1}"], dtype=float)
    g = np.array(witness["values"]["g"], dtype=float)
    product = W.T @ g
    (a, va), (b, vb) = witness["entries"]
    assert product[a] == pytest.approx(float(va)) and product[b] == pytest.approx(float(vb))
    assert product[a] != pytest.approx(product[b])


EXPECTED_FAILURES = {
    "output-weight": "backward-output",
    "middle-weight": "forward-middle",
    "first-weight": "forward-first",
    "hidden-bias": "forward-first",
}


@pytest.mark.parametrize("dropped", sorted(HYPOTHESES))
def test_dropping_a_hypothesis_refutes_the_proof_and_names_the_lemma(dropped):
    weakened = prove_general(drop=[dropped], cross_check=False)
    assert weakened.verdict == "refuted"
    failed = [lemma.name for lemma in weakened.failed]
    assert failed[0] == EXPECTED_FAILURES[dropped]
    assert "steps" in failed and "update" in failed  # the conclusion no longer follows
    first = weakened.failed[0]
    reason = result_text(first.reason)
    assert "depends on the row index" in reason and "refuted at" in reason
    data = result_data(weakened)
    assert data["verdict"] == "refuted" and data["failing_lemma"] == EXPECTED_FAILURES[dropped]
    text = result_text(weakened)
    assert f"({EXPECTED_FAILURES[dropped]}) fails first" in text


@pytest.mark.parametrize("dropped", sorted(HYPOTHESES))
def test_refuted_rests_on_a_counterexample_to_the_statement(dropped):
    """Re-check the counterexample independently: from its start (every kept hypothesis holds),
    plain NumPy gradient descent unties the hidden units."""
    from symcheck.oracle.ties import first_untied
    from symcheck.oracle.training import FLOAT_LEARNING_RATE, train
    from symcheck.general.proof import COUNTEREXAMPLE_NETWORK

    counterexample = prove_general(drop=[dropped], cross_check=False).counterexample
    assert counterexample is not None and counterexample.dropped == (dropped,)
    spec = COUNTEREXAMPLE_NETWORK
    start = {name: np.array(value) for name, value in counterexample.start.items()}
    batch = [(np.array(x), np.array(y)) for x, y in zip(counterexample.xs, counterexample.ys)]
    history = train(spec, "sgd", start, counterexample.step, examples=[batch] * counterexample.step,
                    learning_rate=FLOAT_LEARNING_RATE)
    assert first_untied(spec, history[-1])
    parameter = counterexample.broken.split()[0]
    axes = {"W1": 0, "b1": 0, "b2": 0, "W2": None, "W3": 1}[parameter]  # rows, rows, constant, columns
    before, after = np.ptp(start[parameter], axis=axes), np.ptp(history[-1][parameter], axis=axes)
    assert np.max(before) <= 1e-12 < 1e-6 < np.max(after)


def test_a_failing_lemma_without_a_statement_counterexample_is_undecided(monkeypatch):
    import symcheck.general.proof as general_proof

    monkeypatch.setattr(general_proof, "refute_statement", lambda dropped, seed=0: None)
    weakened = prove_general(drop=["hidden-bias"], cross_check=False)
    assert weakened.failed and weakened.verdict == "undecided" and weakened.counterexample is None
    assert "unproved, not refuted" in result_text(weakened)


def test_the_cross_check_lemma_fails_when_a_derived_gradient_is_wrong(monkeypatch):
    import symcheck.general.proof as general_proof

    right = general_proof.instantiate_gradients

    def doubled(lemmas, spec, **kwargs):
        gradients = dict(right(lemmas, spec, **kwargs))
        gradients["W1"] = tuple(tuple(2 * e for e in row) for row in gradients["W1"])
        return gradients

    monkeypatch.setattr(general_proof, "instantiate_gradients", doubled)
    broken = prove_general()
    cross_check = next(lemma for lemma in broken.lemmas if lemma.name == "cross-check")
    assert not cross_check.checked and broken.verdict == "undecided"


def test_dropping_middle_weight_also_breaks_backward_middle():
    weakened = prove_general(drop=["middle-weight"], cross_check=False)
    failed = {lemma.name for lemma in weakened.failed}
    assert {"forward-middle", "backward-middle", "collapse-middle", "batch/backward-middle"} <= failed
    assert "backward-output" not in failed and "forward-first" not in failed


# ------------------------------------------------------------------ output formats

def test_json_shape(proof):
    data = result_data(proof)
    assert set(data) >= {"theorem", "verdict", "lemmas"}
    assert data["verdict"] == "proved" and "every depth K >= 1" in data["theorem"]
    for number, lemma in enumerate(data["lemmas"], 1):
        assert lemma["number"] == number
        assert {"name", "statement", "checked", "identities"} <= set(lemma)
        assert lemma["checked"] is True
        assert all(identity["holds"] for identity in lemma["identities"])
    json.dumps(data)  # serializable as it stands


def test_text_is_numbered_and_deterministic(proof):
    text = result_text(proof)
    assert text.startswith("symcheck prove --general")
    assert "Lemma 1 (forward-first) [checked]" in text
    assert "w~_i = n_{i-1} c_i" in text
    assert text.rstrip().endswith("all hold)")
    assert result_text(prove_general()) == text


# ------------------------------------------------------------------ command line

def run_cli(capsys, *argv):
    code = main(["prove", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_general_proves(capsys):
    code, out, _ = run_cli(capsys, "--general")
    assert code == 0 and "Verdict: PROVED" in out


def test_cli_general_json(capsys):
    for flags in (("--json",), ("--format", "json")):
        code, out, _ = run_cli(capsys, "--general", *flags)
        assert code == 0
        assert json.loads(out)["verdict"] == "proved"


def test_cli_dropped_hypothesis_exits_1_naming_the_lemma(capsys):
    code, out, _ = run_cli(capsys, "--general", "--drop", "output-weight")
    assert code == 1
    assert "(backward-output) fails first" in out


@pytest.mark.parametrize("argv, fragment", [
    (("--general", "--widths", "2,2,1"), "leave out --widths"),
    ((), "widths: missing"),
    (("--general", "--drop", "output-weights"), "did you mean 'output-weight'"),
    (("--widths", "2,2,1", "--drop", "output-weight"), "--drop only applies to --general"),
    (("--general", "--json", "--format", "text"), "contradict"),
])
def test_cli_bad_input_exits_2_with_one_line(capsys, argv, fragment):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    assert fragment in err and err.count("\n") == 1


def test_cli_concrete_prove_still_works(capsys):
    code, out, _ = run_cli(capsys, "--widths", "2,2,1", "--format", "json")
    assert code == 0 and json.loads(out)["verdict"] == "proved"


# ------------------------------------------------------------------ collapse theorem

def test_collapse_holds_numerically_and_fails_without_the_width_factors():
    assert numeric_collapse(seed=3) <= 1e-12
    assert numeric_collapse(seed=3, rescaled=False) > 1e-3


# ------------------------------------------------------------------ cross-validation

ACTIVATIONS = ("identity", "tanh", "sigmoid", "softplus", "relu", "leaky_relu", "elu", "gelu", "f")


def network(draw_widths, activation, loss):
    if loss == "ce" and draw_widths[-1] < 2:
        draw_widths = draw_widths[:-1] + (2,)
    return MLP(tuple(draw_widths), activation, loss)


def cross_validate(lemmas, spec: MLP, symbolic: bool, seed: int) -> None:
    """The lemmas' formulas at ``spec`` equal the concrete engine's gradients at the tied point."""
    tied = tie_subspace(full_partition(spec), theorem_names=True)
    x, y = data_symbols(spec)
    general = instantiate_gradients(lemmas, spec)
    engine = backprop(spec, tied.parameters, x, y).gradients
    rng = np.random.default_rng(seed)
    points = [(rng.uniform(-1, 1, len(tied.symbols)), *sample_example(spec, rng)) for _ in range(2)]
    comparison = compare_gradients(spec, tied.parameters, general, tied.symbols, x, y, points)
    assert comparison.passed, (spec, comparison)
    if symbolic:
        for name in spec.parameter_names:
            ours, theirs = flatten(general[name]), flatten(engine[name])
            assert len(ours) == len(theirs)
            for a, b in zip(ours, theirs):
                if sp.expand(a - b) != 0:
                    assert decide_equal(a, b).status == PROVED, (spec, name, a, b)


def test_cross_validation_generic_activation_is_syntactic(lemmas):
    """With sigma read as the engine's uninterpreted f, the formulas agree entry by entry."""
    spec = MLP((2, 3, 2, 2), "f", "mse")
    tied = tie_subspace(full_partition(spec), theorem_names=True)
    x, y = data_symbols(spec)
    general = instantiate_gradients(lemmas, spec)
    engine = backprop(spec, tied.parameters, x, y).gradients
    for name in spec.parameter_names:
        for a, b in zip(flatten(general[name]), flatten(engine[name])):
            assert sp.expand(a - b) == 0
    assert any(e.has(f_prime) for e in flatten(general["W1"]))
    assert any(e.has(f) for e in flatten(general["W3"]))


widths_strategy = st.lists(st.integers(1, 3), min_size=3, max_size=5).map(tuple)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(widths=widths_strategy, activation=st.sampled_from(ACTIVATIONS),
       loss=st.sampled_from(("mse", "bce", "ce")), seed=st.integers(0, 2**16))
def test_cross_validation_against_the_concrete_engine(lemmas, widths, activation, loss, seed):
    if loss == "bce":
        widths = widths[:-1] + (1,)
    cross_validate(lemmas, network(widths, activation, loss), symbolic=True, seed=seed)


@pytest.mark.slow
# as many examples as the profile asks for: a few in ``dev``, many in ``ci``
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(widths=st.lists(st.integers(1, 5), min_size=3, max_size=7).map(tuple),
       activation=st.sampled_from(ACTIVATIONS), loss=st.sampled_from(("mse", "ce")),
       seed=st.integers(0, 2**16))
# GELU's far left tail (h about 1e-62): 1 + erf cancelled to nothing at 60 digits here
@example(widths=(4, 4, 4, 1, 1), activation="gelu", loss="mse", seed=2539)
def test_cross_validation_against_the_concrete_engine_thorough(lemmas, widths, activation, loss, seed):
    cross_validate(lemmas, network(widths, activation, loss), symbolic=False, seed=seed)



def test_latex_prints_each_lemma_statement_once_and_part_two_cites_part_one(proof):
    """Part II re-runs the layer lemmas for a batch: its statements are Part I's, so the LaTeX
    (``prove --general --format latex`` and the handout's appendix) cites them instead of repeating."""
    from symcheck.render.latex import latex

    tex = latex(proof)
    numbers = {lemma.name: number for number, lemma in enumerate(proof.lemmas, 1)}
    for lemma in proof.lemmas:
        statement = latex(lemma.stated)
        assert tex.count(statement) <= 1, lemma.name
        if not lemma.name.startswith("batch/"):
            assert tex.count(statement) == 1, lemma.name
        else:
            base = numbers[lemma.name[len("batch/"):]]
            assert rf"\paragraph{{Lemma {numbers[lemma.name]} ({lemma.name}).}} Lemma {base}," in tex
    # the numbering stays 1..N in order, each lemma once
    headers = [int(n) for n in re.findall(r"\\paragraph\{Lemma (\d+) \(", tex)]
    assert headers == list(range(1, len(proof.lemmas) + 1))
    # what is new in Part II is still printed: the batch sums of the gradients
    assert tex.count(r"\sum_{k=0}^{B - 1}") >= 5
