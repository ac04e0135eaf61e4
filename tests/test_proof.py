"""The concrete proof: verdicts, evidence, counterexamples and their re-checks."""

import pytest
import sympy as sp

from symcheck import MLP, Init, prove_symmetry
from symcheck.model.activations import ACTIVATIONS
from symcheck.exact.decide import SYNTACTIC, decide_equal
from symcheck.exact.verdict import PROVED, REFUTED, UNDECIDED
from symcheck.induction.invariants import EQUAL_COLUMNS, EQUAL_ENTRIES, EQUAL_ROWS, symmetry_invariants
from symcheck.render.sentence_text import sentence_text

from strategies import networks
from hypothesis import given


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("init", ["constant", "zeros"])
def test_constant_and_zero_init_are_proved_for_every_activation(activation, init):
    proof = prove_symmetry(MLP((3, 4, 4, 2), activation, "mse"), init)
    assert proof.verdict == PROVED
    assert [base.describe() for base, _ in proof.invariants] == [
        "W1: all rows equal", "b1: all entries equal", "W2: all rows equal",
        "W2: all columns equal", "b2: all entries equal", "W3: all columns equal"]
    for base, step in proof.invariants:
        assert base.invariant == step.invariant
        assert base.status == PROVED and step.status == PROVED
        assert step.identities > 0 and step.methods
    assert proof.cross_check.passed and proof.cross_check.bitwise
    assert proof.confirmation.consistent and proof.confirmation.tied_after_training


def test_every_check_is_named_by_its_invariant_in_the_theorems_order():
    proof = prove_symmetry(MLP((3, 4, 4, 2), "tanh", "mse"), optimizer="momentum")
    invariants = symmetry_invariants(proof.spec)
    assert [base.invariant for base, _ in proof.invariants] == list(invariants)
    assert [step.invariant for _, step in proof.invariants] == list(invariants)
    # the engine's groups behind the names: W2's columns are the outgoing weights of hidden layer 1
    assert [(c.group, c.layer, c.property) for c, _ in proof.invariants][3] == ("W2", 1, "columns")
    # the step's checks on optimizer state follow the invariants', unnamed
    assert proof.state_checks and all(":" in c.group and c.invariant is None for c in proof.state_checks)
    assert proof.induction.checks == tuple(step for _, step in proof.invariants) + proof.state_checks


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_an_invariant_without_identities_is_named_and_proved_vacuously(optimizer):
    """A hidden layer of width 1 has no pair of units: each invariant is the conjunction of no
    identities, proved vacuously (the one combine rule), like the verdict it leads to."""
    proof = prove_symmetry(MLP((2, 1, 1), "tanh", "mse"), optimizer=optimizer)
    assert [(base.describe(), base.group, base.layer, base.property) for base, _ in proof.invariants] == [
        ("W1: all rows equal", "W1", 1, "rows"), ("b1: all entries equal", "b1", 1, "entries"),
        ("W2: all columns equal", "W2", 1, "columns")]
    assert all(check.identities == 0 and check.status == PROVED for pair in proof.invariants for check in pair)
    assert proof.verdict == PROVED


def test_the_inductive_step_counts_every_identity():
    proof = prove_symmetry(MLP((3, 4, 5, 2), "tanh", "mse"))
    counts = {(step.invariant.parameter, step.invariant.property): step.identities for step in proof.induction.checks}
    # W1 (4x3): rows 1..3 against row 0; W2 (5x4): rows and columns; W3 (2x5): columns
    assert counts[("W1", EQUAL_ROWS)] == 3 * 3
    assert counts[("W2", EQUAL_ROWS)] == 4 * 4
    assert counts[("W2", EQUAL_COLUMNS)] == 5 * 3
    assert counts[("W3", EQUAL_COLUMNS)] == 2 * 4
    assert counts[("b2", EQUAL_ENTRIES)] == 4


def test_the_generic_activation_f_is_proved_for_every_loss():
    for loss in ("mse", "bce", "ce"):
        assert prove_symmetry(MLP((2, 3, 3, 2), "f", loss)).verdict == PROVED


def test_random_init_is_refuted_with_an_exact_rechecked_counterexample():
    proof = prove_symmetry(MLP((3, 4, 4, 2), "relu", "ce"), "random", seed=3)
    assert proof.verdict == REFUTED
    example = proof.counterexample
    assert example.stage == "base" and example.rechecked
    assert example.value != example.reference_value
    assert isinstance(example.value, sp.Rational) and isinstance(example.reference_value, sp.Rational)
    # the values really are the initial values at those positions
    start = Init("random", 3).values(proof.spec)[example.invariant.parameter]
    entry = lambda pos: start[pos[0]][pos[1]] if len(pos) == 2 else start[pos[0]]  # noqa: E731
    assert entry(example.position) == example.value
    assert entry(example.reference) == example.reference_value
    # the invariant set is still closed under a step: only the base case fails
    assert all(check.status == PROVED for check in proof.induction.checks)
    assert not proof.confirmation.tied_after_training and proof.confirmation.consistent


def test_no_hidden_layer_is_vacuous_and_says_so():
    proof = prove_symmetry(MLP((3, 1), "sigmoid", "bce"))
    assert proof.verdict == PROVED and proof.vacuous
    assert symmetry_invariants(proof.spec) == ()
    assert any("K = 0" in note and "vacuous" in note for note in map(sentence_text, proof.notes))


@given(spec=networks(max_hidden=3, max_width=4))
def test_every_small_network_is_proved_from_constant_init(spec):
    proof = prove_symmetry(spec, "constant")
    assert proof.verdict == PROVED
    assert proof.cross_check.passed


def test_a_faulty_predicate_cannot_make_random_init_proved(monkeypatch):
    """The symbolic predicate is wrong (always holds); the NumPy confirmation,
    which compares arrays directly, withholds the verdict."""
    import dataclasses

    import symcheck.induction.engine as engine_module

    original = engine_module.check_base

    def always_holds(identities, start, seed=0):
        checks, _ = original(identities, start, seed)
        return tuple(dataclasses.replace(check, status=PROVED) for check in checks), None

    monkeypatch.setattr(engine_module, "check_base", always_holds)
    proof = prove_symmetry(MLP((2, 3, 1), "tanh", "mse"), "random")
    assert proof.verdict == UNDECIDED
    assert any("numeric confirmation contradicts" in note for note in map(sentence_text, proof.notes))


def test_symbolic_base_case_counterexample_is_rechecked_by_evaluation():
    from symcheck.induction.engine import check_base, replay_base
    from symcheck.induction.subspace import Identity

    a, b = sp.symbols("a b", real=True)
    rows = [Identity("W1", 1, "rows", (1, c), (0, c)) for c in range(2)]
    (check,), failure = check_base(rows, {"W1": ((a, b), (b, a))})
    assert check.status == REFUTED
    example = replay_base(*failure)
    assert example.rechecked and set(example.point) == {"a", "b"}
    # and an "identity" that only looks different is not refuted
    (same,), failure = check_base(rows[:1], {"W1": ((a * (b + 1),), (a * b + a,))})
    assert same.status == PROVED and failure is None


def test_decide_equal_methods():
    x, y = sp.symbols("x y", real=True)
    assert decide_equal(sp.tanh(x) * y, y * sp.tanh(x)).method == SYNTACTIC
    assert decide_equal((x + y) ** 2, x**2 + 2 * x * y + y**2).status == PROVED
    assert decide_equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1).status == PROVED
    refuted = decide_equal(sp.tanh(x), x)
    assert refuted.status == REFUTED
    point = {sp.Symbol(k, real=True): sp.Rational(v) for k, v in refuted.point.items()}
    assert abs(float(sp.tanh(x).xreplace(point) - x.xreplace(point))) > 1e-6


def test_the_confirmation_trains_from_the_initialization():
    """The NumPy confirmation agrees with the symbolic step and keeps tied units tied
    (constant init), and sees them separate (random init), each from its own values."""
    tied = prove_symmetry(MLP((2, 5, 5, 1), "sigmoid", "bce"), "constant").confirmation
    assert 0 <= tied.step_difference < 1e-12
    assert tied.tied_after_training and tied.first_untied == "" and tied.consistent
    separated = prove_symmetry(MLP((2, 5, 5, 1), "sigmoid", "bce"), "random").confirmation
    assert not separated.tied_after_training and separated.first_untied.endswith("at step 0")
    assert separated.consistent
