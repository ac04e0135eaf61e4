"""Unit tests of the one induction engine (``engine.prove_invariance``), its subspaces and the
evidence policy, each on a small case whose answer is known by hand."""

import dataclasses
from fractions import Fraction

import sympy as sp

from symcheck.exact.verdict import PROVED, REFUTED, UNDECIDED
from symcheck.induction import engine
from symcheck.induction.engine import check_base, prove_invariance, replay_base
from symcheck.induction.evidence import released, withhold_unreplayed
from symcheck.induction.invariants import EQUAL_COLUMNS, Invariant
from symcheck.induction.subspace import (Identity, constant_subspace, dead_subspace, tie_count, tie_subspace)
from symcheck.induction.twins import Partition, full_partition
from symcheck.model.optimizers import get_optimizer
from symcheck.model.spec import MLP
from symcheck.render.sentence_text import sentence_text

SGD = get_optimizer("sgd")
ROWS = [Identity("W1", 1, "rows", (1, c), (0, c)) for c in range(2)]


def test_a_check_is_described_by_its_invariant_when_the_claim_names_one():
    check = engine.GroupCheck("W2", 1, "columns", PROVED, 3, (("syntactic identity", 3),))
    assert check.describe() == "W2: twins of layer 1 keep equal outgoing columns"
    named = dataclasses.replace(check, invariant=Invariant("W2", EQUAL_COLUMNS))
    assert named.describe() == "W2: all columns equal"


# ------------------------------------------------------------------ base case

def test_base_case_proved_at_exact_numbers():
    (check,), failure = check_base(ROWS, {"W1": ((sp.Rational(1, 2), 3), (sp.Rational(2, 4), 3))})
    assert (check.status, check.identities, failure) == (PROVED, 2, None)


def test_base_case_refuted_at_exact_numbers_with_a_fraction_replay():
    (check,), failure = check_base(ROWS, {"W1": ((sp.Rational(1, 2), 3), (sp.Rational(1, 2), 4))})
    assert check.status == REFUTED and check.identities == 2  # the first pair holds, the second fails
    example = replay_base(*failure)
    assert example.stage == "base" and example.rechecked
    assert example.position == (1, 1) and example.reference == (0, 1)
    assert example.recheck == "compared as exact Python fractions"


def test_base_case_with_symbolic_constants_is_decided_by_the_decider():
    w1, w2 = sp.symbols("w1 w2", real=True)
    (same,), _ = check_base(ROWS, {"W1": ((w1, w1), (w1, w1))})
    assert same.status == PROVED and dict(same.methods) == {"syntactic identity": 2}
    (differ,), failure = check_base(ROWS, {"W1": ((w1, w1), (w2, w1))})
    assert differ.status == REFUTED
    example = replay_base(*failure)
    assert example.rechecked and set(example.point) == {"w1", "w2"}
    assert "SymPy" in example.recheck  # not the DAG evaluator that found the witness


def test_a_base_case_failure_comes_first_and_is_the_counterexample():
    spec = MLP((2, 2, 1), "tanh", "mse")
    start = {"W1": ((sp.Integer(1), sp.Integer(1)), (sp.Integer(1), sp.Integer(2))), "b1": (sp.S.Zero, sp.S.Zero),
             "W2": ((sp.Integer(1), sp.Integer(1)),), "b2": (sp.S.Zero,)}
    result = prove_invariance(tie_subspace(full_partition(spec)), SGD, start=start)
    assert result.verdict == REFUTED
    assert result.counterexample.stage == "base" and result.counterexample.identity.group == "W1"
    assert all(check.status == PROVED for check in result.checks)  # the step itself holds


# -------------------------------------------------------------- inductive step

def test_step_proved_for_the_full_tie():
    spec = MLP((3, 4, 4, 2), "sigmoid", "mse")
    subspace = tie_subspace(full_partition(spec))
    result = prove_invariance(subspace, SGD, exhaustive=True)
    assert result.verdict == PROVED and result.counterexample is None
    assert sum(check.identities for check in result.checks) == tie_count(full_partition(spec)) == 3 * (3 + 1 + 4) + 3 * (4 + 1 + 2)
    assert {check.property for check in result.checks} == {"rows", "entries", "columns"}


def test_step_proved_with_optimizer_state_in_the_subspace():
    spec = MLP((2, 3, 1), "tanh", "mse")
    adam = get_optimizer("adam")
    subspace = tie_subspace(full_partition(spec))
    result = prove_invariance(subspace, adam, exhaustive=True)
    assert result.verdict == PROVED
    groups = {check.group for check in result.checks}
    assert {"W1", "m:W1", "v:W1", "m:W2", "v:b1"} <= groups
    # the state is the same subspace under fresh names
    state = subspace.state(adam)
    assert state["m"]["W1"][0][0].name == "m_" + subspace.parameters["W1"][0][0].name
    assert state["t"].is_positive and state["t"].is_integer


def test_step_refuted_for_a_subspace_that_is_not_invariant_with_a_replayed_counterexample():
    # K = 0: weights started equal separate after one step when the inputs differ
    spec = MLP((3, 1), "identity", "mse")
    weights = [Identity("W1", 1, "weights", (0, c), (0, 0)) for c in range(1, 3)]
    result = prove_invariance(constant_subspace(spec, weights), SGD, with_state=False)
    assert result.verdict == REFUTED
    example = result.counterexample
    assert example.stage == "step" and example.rechecked
    assert example.recheck_value != example.recheck_reference_value
    assert all(isinstance(value, Fraction) for value in example.point.values())


def test_a_counterexample_whose_replay_fails_leaves_the_step_undecided(monkeypatch):
    original = engine.recheck
    monkeypatch.setattr(engine, "recheck", lambda *a, **k: dataclasses.replace(original(*a, **k), rechecked=False))
    spec = MLP((3, 1), "identity", "mse")
    weights = [Identity("W1", 1, "weights", (0, 1), (0, 0))]
    result = prove_invariance(constant_subspace(spec, weights), SGD, with_state=False)
    assert result.checks[0].status == REFUTED  # the symbolic route alone would refute
    assert result.verdict == UNDECIDED
    assert result.counterexample is not None and not result.counterexample.rechecked


def test_concrete_point_mode_never_proves():
    spec = MLP((2, 3, 1), "tanh", "mse")
    subspace = tie_subspace(full_partition(spec))
    point = {s.name: Fraction(k + 1, 7) for k, s in enumerate(subspace.symbols)}
    point.update({"x_0": Fraction(1, 2), "x_1": Fraction(-2, 3), "y_0": Fraction(1, 5), "eta": Fraction(1, 10)})
    result = prove_invariance(subspace, SGD, concrete_values=point)
    assert result.concrete
    assert result.verdict == UNDECIDED  # every identity holds at the point, which proves nothing
    assert all(dict(check.methods) == {"equal at the sampled point only": check.identities} for check in result.checks)


def test_dead_subspace_stays_dead_and_the_output_bias_is_free():
    spec = MLP((2, 2, 1), "tanh", "mse")
    subspace = dead_subspace(spec)
    assert len(subspace.identities) == 2 * 2 + 2 + 2  # W1, b1, W2 entries: each stays 0
    assert subspace.symbols == subspace.parameters["b2"]
    result = prove_invariance(subspace, get_optimizer("momentum"))
    assert result.verdict == PROVED
    assert any(check.group == "m:W1" for check in result.checks)


def test_a_partition_with_two_classes_has_block_symbols_named_by_representatives():
    spec = MLP((2, 3, 1), "tanh", "mse")
    subspace = tie_subspace(Partition(spec, (((0, 2), (1,)),)))
    assert subspace.parameters["W1"][2] is subspace.parameters["W1"][0]  # one row object per class
    assert {s.name for s in subspace.parameters["W1"][1]} == {"W1_1_0", "W1_1_1"}
    assert [i.position for i in subspace.identities if i.group == "b1"] == [(2,)]


def test_theorem_names_read_as_the_theorem():
    spec = MLP((2, 2, 2, 1), "tanh", "mse")
    subspace = tie_subspace(full_partition(spec), theorem_names=True)
    assert [s.name for s in subspace.symbols] == ["u_0", "u_1", "beta_1", "c_2", "beta_2", "v_0", "b3_0"]
    assert subspace.description[0] == "W1 = 1 u^T: every row is u = (u_0, u_1)"


# ------------------------------------------------------------------- evidence

def test_released_needs_a_replayed_counterexample_for_a_refutation():
    spec = MLP((3, 1), "identity", "mse")
    weights = [Identity("W1", 1, "weights", (0, 1), (0, 0))]
    example = prove_invariance(constant_subspace(spec, weights), SGD, with_state=False).counterexample
    assert released(REFUTED, example) == REFUTED
    assert released(REFUTED, dataclasses.replace(example, rechecked=False)) == UNDECIDED
    assert released(REFUTED, None) == UNDECIDED
    assert released(PROVED, None) == PROVED


def test_withhold_unreplayed_says_why_in_the_notes():
    @dataclasses.dataclass(frozen=True)
    class Result:
        verdict: str
        counterexample: object
        notes: tuple = ()

    spec = MLP((3, 1), "identity", "mse")
    weights = [Identity("W1", 1, "weights", (0, 1), (0, 0))]
    example = prove_invariance(constant_subspace(spec, weights), SGD, with_state=False).counterexample
    kept = withhold_unreplayed(Result(REFUTED, example))
    assert kept.verdict == REFUTED and not kept.notes
    withheld = withhold_unreplayed(Result(UNDECIDED, dataclasses.replace(example, rechecked=False)))
    assert withheld.verdict == UNDECIDED and "did not survive its independent re-check" in sentence_text(withheld.notes[0])


def test_a_gauss_seidel_sweep_on_a_wide_tie_is_decided_at_rational_points_only():
    from symcheck.induction.engine import prove_tie_persists
    from symcheck.induction.symmetry import prove_symmetry

    spec = MLP((2, 3, 1), "tanh", "mse")  # 4 units > 3: the sweep is not expanded symbolically
    result = prove_tie_persists(tie_subspace(full_partition(spec)), get_optimizer("gauss_seidel"))
    assert result.concrete and result.verdict == REFUTED and result.counterexample.rechecked
    proof = prove_symmetry(spec, "constant", optimizer="gauss_seidel")
    assert proof.verdict == REFUTED
    assert any("enough to refute, never to prove" in note for note in map(sentence_text, proof.notes))
