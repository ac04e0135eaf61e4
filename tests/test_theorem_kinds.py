"""The claim kinds beyond symmetry/derivation/gradient: each has a case that is proved, one
that is refuted (or whose expectation is contradicted) and a malformed file that is one
line on stderr with exit code 2."""

from __future__ import annotations

import numpy as np
import pytest

from symcheck import MLP
from symcheck.cli import main
from symcheck.general import prove_general
from symcheck.model.optimizers import OPTIMIZERS
from symcheck.oracle import replay
from symcheck.theorems import CLAIMS, load_theorem
from symcheck.theorems.kinds.general import LEMMAS
from symcheck.theorems.runner import decide
from theorem_helpers import write


def theorem(kind: str, widths="[2, 2, 1]", activation="sigmoid", loss="bce", training="", claim="",
            expect="proved") -> str:
    network = f'widths = {widths}\nactivation = "{activation}"\nloss = "{loss}"' if widths != '"general"' \
        else 'widths = "general"'
    return (f'statement = "a test claim"\nexpect = "{expect}"\n\n[network]\n{network}\n\n'
            f'[training]\n{training}\n\n[claim]\nkind = "{kind}"\n{claim}\n')


def verdict(tmp_path, text: str) -> tuple[str, tuple[str, ...]]:
    got, _, evidence, _ = decide(load_theorem(write(tmp_path / "t.toml", text)))
    return got, evidence


def one_line_error(tmp_path, capsys, text: str, *fragments: str) -> None:
    path = write(tmp_path / "bad.toml", text)
    assert main(["check", str(path)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and captured.out == "", captured.err
    assert "Traceback" not in captured.err and "bad.toml" in lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_every_new_kind_is_registered():
    assert {"general", "twins", "trace", "dead", "no-hidden-layer"} <= set(CLAIMS)


# ------------------------------------------------------------------ symmetry with patterns/optimizers

@pytest.mark.parametrize("init", ["W=0,b=0", "W=1/2,b=-1/4"])
def test_symmetry_accepts_init_patterns(tmp_path, init):
    got, evidence = verdict(tmp_path, theorem("symmetry", training=f'init = "{init}"'))
    assert got == "proved", evidence


@pytest.mark.parametrize("init", ["W=0,b=random", "xavier_uniform"])
def test_symmetry_refutes_random_biases_and_catalogue_schemes(tmp_path, init):
    got, evidence = verdict(tmp_path, theorem("symmetry", training=f'init = "{init}"', expect="refuted"))
    assert got == "refuted"
    assert any("step 0" in line or "base" in line for line in evidence)


@pytest.mark.parametrize("optimizer, expected", [("adam", "proved"), ("clip", "proved"),
                                                 ("dropout", "refuted"), ("gauss_seidel", "refuted")])
def test_symmetry_with_optimizers(tmp_path, optimizer, expected):
    got, evidence = verdict(tmp_path, theorem("symmetry", training=f'optimizer = "{optimizer}"'))
    assert got == expected, evidence
    numeric = [line for line in evidence if line.startswith("numeric confirmation")]
    assert numeric and f"float training with {optimizer}" in numeric[0]
    assert ("units stay tied" if expected == "proved" else "units separate") in numeric[0]
    if expected == "refuted":
        assert any("independent re-check: confirmed" in line for line in evidence)


def test_symmetry_with_a_misbehaving_confirmation_withholds_the_verdict(tmp_path, monkeypatch):
    from symcheck.induction import confirmation

    real = confirmation.training.train

    def lying(*args, **kwargs):  # float training that (wrongly) separates the units
        history = real(*args, **kwargs)
        last = dict(history[-1])
        W1 = np.array(last["W1"], dtype=float)
        W1[0, 0] += 1.0
        last["W1"] = W1
        return [*history[:-1], last]

    monkeypatch.setattr(confirmation.training, "train", lying)
    got, evidence = verdict(tmp_path, theorem("symmetry", training='optimizer = "adam"'))
    assert got == "undecided"
    assert any("numeric confirmation contradicts" in line and "withheld" in line for line in evidence)


@pytest.mark.parametrize("training, fragments", [
    ('init = "W=rnd,b=0"', ["training.init", "did you mean 'random'"]),
    ('init = "W=0"', ["training.init", "no value for b1, b2"]),
    ('init = "W3=0,W=0,b=0"', ["training.init", "layers 1..2"]),
    ('init = "xavier_unifrom"', ["training.init", "did you mean 'xavier_uniform'"]),
    ('optimizer = "adamm"', ["training.optimizer", "did you mean 'adam'"]),
])
def test_symmetry_bad_init_or_optimizer_is_one_line(tmp_path, capsys, training, fragments):
    one_line_error(tmp_path, capsys, theorem("symmetry", training=training), *fragments)


# ----------------------------------------------------------------------------- general

def test_general_lemma_names_match_the_proof():
    assert tuple(lemma.name for lemma in prove_general(cross_check=True).lemmas) == LEMMAS


def test_general_proved_and_dropped_hypothesis_refuted(tmp_path):
    got, evidence = verdict(tmp_path, theorem("general", widths='"general"', claim='lemmas = ["batch/steps"]'))
    assert got == "proved", evidence
    assert "lemma batch/steps: checked" in evidence
    got, evidence = verdict(tmp_path, theorem("general", widths='"general"', claim='drop = ["output-weight"]'))
    assert got == "refuted"
    assert any(line.startswith("fails: backward-output") and "refuted at" in line for line in evidence)


def test_general_collapse_is_confirmed_in_floats(tmp_path):
    got, evidence = verdict(tmp_path, theorem("general", widths='"general"', claim='lemmas = ["collapse"]'))
    assert got == "proved"
    assert any("collapse confirmed in floats" in line and "agrees" in line for line in evidence)


@pytest.mark.parametrize("widths, claim, fragments", [
    ('"general"', 'drop = ["hidden-biases"]', ["claim.drop", "did you mean 'hidden-bias'"]),
    ('"general"', 'lemmas = ["colapse"]', ["claim.lemmas", "did you mean 'collapse'"]),
    ('"general"', 'lemmas = "steps"', ["claim.lemmas", "expected a list"]),
    ("[2, 2, 1]", "", ["network.widths", "use \"general\""]),
])
def test_general_malformed(tmp_path, capsys, widths, claim, fragments):
    one_line_error(tmp_path, capsys, theorem("general", widths=widths, claim=claim), *fragments)


# ------------------------------------------------------------------------------- twins

def test_twins_proved_refuted_by_optimizer_and_by_initial_classes(tmp_path):
    text = theorem("twins", widths="[2, 3, 3, 1]", activation="tanh", loss="mse",
                   training='init = "W1=random,W2=0,W3=0,b=0"', claim="effective_widths = [3, 1]")
    got, evidence = verdict(tmp_path, text)
    assert got == "proved", evidence
    got, evidence = verdict(tmp_path, theorem("twins", widths="[2, 3, 1]", training='init = "W=1/2,b=0"\n'
                                              'optimizer = "per_unit_lr"', claim="effective_widths = [1]"))
    assert got == "refuted"
    assert any("independent re-check" in line and line.endswith("-> confirmed") for line in evidence)
    got, evidence = verdict(tmp_path, theorem("twins", training='init = "W=0,b=random"',
                                              claim="effective_widths = [1]"))
    assert got == "refuted"
    assert evidence[0].startswith("counterexample: the initial values (exact) give effective widths [2]")


def test_twins_without_twins_is_not_proved(tmp_path):
    got, evidence = verdict(tmp_path, theorem("twins", training='init = "random"', claim="effective_widths = [2]"))
    assert got == "undecided"
    assert any("verdict withheld" in line for line in evidence)


@pytest.mark.parametrize("claim, fragments", [
    ("", ["claim.effective_widths", "missing"]),
    ("effective_widths = [1, 1]", ["claim.effective_widths", "1 hidden layers"]),
    ("effective_widths = [3]", ["claim.effective_widths", "at most 2"]),
    ('effective_widths = ["one"]', ["claim.effective_widths", "positive integers"]),
    ("effective_width = [1]", ["claim.effective_width", "did you mean 'effective_widths'"]),
])
def test_twins_malformed(tmp_path, capsys, claim, fragments):
    one_line_error(tmp_path, capsys, theorem("twins", claim=claim), *fragments)


# ------------------------------------------------------------------------------- trace

CASE_A = '''initial_invariants = "hold"
[[claim.step]]
moved = ["W2", "b2"]
zero_gradient = ["W1", "b1"]
equal_moves = ["W2"]
invariants = "hold"
[[claim.step]]
moved = ["W1", "b1", "W2", "b2"]
invariants = "hold"
'''


def test_trace_proves_seed_000_case_a(tmp_path):
    got, evidence = verdict(tmp_path, theorem("trace", training='init = "W=0,b=0"', claim=CASE_A))
    assert got == "proved", evidence
    assert any("W1 zero gradient" in line for line in evidence)
    assert any("W2 moves" in line and "(confirmed)" in line for line in evidence)


@pytest.mark.parametrize("claim, expected_line", [
    ('[[claim.step]]\nmoved = ["W1", "b1", "W2", "b2"]', "counterexample: step 1: W1 zero gradient"),
    ('[[claim.step]]\nzero_gradient = ["W1", "b1", "b2"]', "counterexample: step 1: b2 moves"),
    ('[[claim.step]]\ninvariants = "fail"', "counterexample: invariants after step 1: all 3 hold"),
])
def test_trace_refutes_wrong_facts_with_exact_evidence(tmp_path, claim, expected_line):
    got, evidence = verdict(tmp_path, theorem("trace", training='init = "W=0,b=0"', claim=claim))
    assert got == "refuted"
    assert evidence[0].startswith(expected_line), evidence


def test_trace_failing_invariant_is_replayed(tmp_path):
    claim = '[[claim.step]]\ninvariants = "hold"\n[[claim.step]]\ninvariants = "hold"'
    got, evidence = verdict(tmp_path, theorem("trace", training='init = "W=0,b=random"', claim=claim))
    assert got == "refuted"
    assert "parameters replayed independently: confirmed" in evidence[0]


def test_trace_failing_invariant_is_undecided_when_the_replay_disagrees(tmp_path, monkeypatch):
    """Planted fault: a replay that finds the two entries equal withholds the verdict."""
    monkeypatch.setattr(replay, "values_differ", lambda a, b, d: False)
    claim = '[[claim.step]]\ninvariants = "hold"\n[[claim.step]]\ninvariants = "hold"'
    got, evidence = verdict(tmp_path, theorem("trace", training='init = "W=0,b=random"', claim=claim))
    assert got == "undecided"
    assert any("parameters replayed independently: NOT confirmed" in line for line in evidence)


@pytest.mark.parametrize("claim, fragments", [
    ("", ["claim.step", "missing"]),
    ('[[claim.step]]\nmoved = ["W3"]', ["claim.step", "'W3' is not a parameter"]),
    ('[[claim.step]]\nmoves = ["W2"]', ["claim.step", "did you mean 'moved'"]),
    ('[[claim.step]]\ninvariants = "holds"', ["claim.step", "\"hold\" or \"fail\""]),
    ('[[claim.step]]\nmoved = ["W2"]\nzero_gradient = ["W2"]', ["claim.step", "listed both"]),
    ('initial_invariants = "yes"\n[[claim.step]]\nmoved = []', ["claim.initial_invariants"]),
    ("[[claim.step]]\nmoved = []\n" * 7, ["claim.step", "at most 6"]),
])
def test_trace_malformed(tmp_path, capsys, claim, fragments):
    one_line_error(tmp_path, capsys, theorem("trace", claim=claim), *fragments)


# -------------------------------------------------------------------------------- dead

@pytest.mark.parametrize("activation, widths", [("tanh", "[2, 3, 1]"), ("relu", "[2, 2, 2, 1]")])
def test_dead_networks_are_proved(tmp_path, activation, widths):
    got, evidence = verdict(tmp_path, theorem("dead", widths=widths, activation=activation, loss="mse",
                                              training='init = "W=0,b=0"'))
    assert got == "proved", evidence
    assert any("does move" in line for line in evidence)
    assert any("largest |entry| outside" in line and line.endswith(": 0") for line in evidence)


@pytest.mark.parametrize("activation, init, mover", [("sigmoid", "W=0,b=0", "W2"), ("tanh", "W=0,b=1/2", "W2")])
def test_a_live_network_refutes_the_dead_claim(tmp_path, activation, init, mover):
    got, evidence = verdict(tmp_path, theorem("dead", activation=activation, training=f'init = "{init}"'))
    assert got == "refuted"
    assert evidence[0].startswith(f"counterexample: {mover} moves at step 1") and "(confirmed)" in evidence[0]


@pytest.mark.parametrize("widths, training, fragments", [
    ("[2, 1]", 'init = "zeros"', ["network.widths", "needs a hidden layer"]),
    ("[2, 2, 1]", 'init = "W=0,b=O"', ["training.init", "neither 'random' nor a number"]),
    ("[2, 2, 1]", 'steps = 3', ["training.steps", "not used by claim kind 'dead'"]),
])
def test_dead_malformed(tmp_path, capsys, widths, training, fragments):
    one_line_error(tmp_path, capsys, theorem("dead", widths=widths, training=training), *fragments)


# --------------------------------------------------------------------- no hidden layer

def test_regression_weights_separate_and_a_single_weight_stays(tmp_path):
    got, evidence = verdict(tmp_path, theorem("no-hidden-layer", widths="[3, 2]", activation="identity",
                                              loss="ce", expect="refuted"))
    assert got == "refuted"
    assert any("independent re-check" in line and line.endswith("-> confirmed") for line in evidence)
    assert any("they separate" in line for line in evidence)
    got, evidence = verdict(tmp_path, theorem("no-hidden-layer", widths="[1, 1]", activation="identity",
                                              loss="mse"))
    assert got == "proved"


def test_a_contradicted_regression_claim_exits_1(tmp_path, capsys):
    path = write(tmp_path / "t.toml", theorem("no-hidden-layer", widths="[2, 1]", activation="identity",
                                               loss="mse", expect="proved"))
    assert main(["check", "--no-timings", str(path)]) == 1
    assert "refuted" in capsys.readouterr().out


@pytest.mark.parametrize("widths, training, fragments", [
    ("[2, 2, 1]", "", ["network.widths", "give [d, m]"]),
    ("[2, 1]", 'optimizer = "nesterof"', ["training.optimizer", "did you mean 'nesterov'"]),
    ("[2, 1]", 'init = "zeros"', ["training.init", "not used by claim kind 'no-hidden-layer'"]),
])
def test_no_hidden_layer_malformed(tmp_path, capsys, widths, training, fragments):
    one_line_error(tmp_path, capsys, theorem("no-hidden-layer", widths=widths, activation="identity",
                                             loss="mse", training=training), *fragments)


def test_the_library_covers_every_optimizer():
    from symcheck.theorems import discover
    from theorem_helpers import PROOFS

    used = {load_theorem(path).training["optimizer"] for path in discover([PROOFS])}
    assert used == set(OPTIMIZERS)


# -------------------------------------------------------------------------- derivation

def test_a_wrong_recursion_is_refuted_with_the_entry_derivation_found(tmp_path, monkeypatch):
    """Planted fault: a recursion whose b1 gradient is doubled; the counterexample is the first
    entry ``check_recursion`` refuted, with its rational point."""
    from types import SimpleNamespace

    import symcheck.symbolic.derivation as derivation

    real = derivation.backprop

    def wrong(spec, params, x, y):
        gradients = dict(real(spec, params, x, y).gradients)
        gradients["b1"] = tuple(2 * g for g in gradients["b1"])
        return SimpleNamespace(gradients=gradients)

    monkeypatch.setattr(derivation, "backprop", wrong)
    got, evidence = verdict(tmp_path, theorem("derivation", widths="[1, 1, 1]", activation="tanh", loss="mse"))
    assert got == "refuted", evidence
    line = evidence[-1]
    assert line.startswith("counterexample: entry 0 of dL/db1: recursion gives ") and "sympy.diff gives" in line
    check = derivation.check_recursion(MLP.parse("1,1,1", "tanh", "mse"), exact=True)
    assert check.refuted_entry == "entry 0 of dL/db1" and check.refutation.status == "refuted"
