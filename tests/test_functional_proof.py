"""Exact claims about functional ties and dead units (class level, size-independent)."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from symcheck import MLP
from symcheck.functional.proof import (STRUCTURAL, first_step_at, prove_dead_stays_dead,
                                       prove_rule_keeps_blocks, sum_identities)
from symcheck.model.optimizers import OPTIMIZERS
from symcheck.induction.twins import Partition

KEEPING = ["sgd", "minibatch", "momentum", "nesterov", "rmsprop", "adam", "weight_decay", "adamw", "clip"]


def test_every_optimizer_is_classified():
    assert sorted(KEEPING + ["adam_l2"] + sorted(STRUCTURAL)) == sorted(OPTIMIZERS)


@pytest.mark.parametrize("name", KEEPING)
def test_entrywise_rules_keep_block_sums(name):
    probe = prove_rule_keeps_blocks(name)
    assert probe.verdict == "proved" and probe.counterexample is None
    assert all(status == "proved" for _, status, _ in probe.checks)


def test_adam_with_coupled_l2_breaks_block_sums_with_a_replayed_counterexample():
    probe = prove_rule_keeps_blocks("adam_l2")
    assert probe.verdict == "refuted"
    example = probe.counterexample
    assert example["rechecked"] and example["recheck_value"] != example["recheck_reference_value"]
    assert "sum" in example["identity"] or "state" in example["identity"]


@pytest.mark.parametrize("name", sorted(STRUCTURAL))
def test_structural_rules_have_no_block_argument(name):
    assert prove_rule_keeps_blocks(name) is None


MAGIC_ROWS = ((-3, 2, 1), (4, 0, -4), (-1, -2, 3))


def l2_example():
    """1-3-3-1: layer 1 tied (equal rows), W2 rows and columns summing to 0, W3 = 0 so the data
    gradient of W2 is zero: only the coupled L2 term moves W2."""
    spec = MLP((1, 3, 3, 1), "tanh", "mse")
    q = lambda v: sp.Rational(v)  # noqa: E731
    values = {"W1": ((q(1),), (q(1),), (q(1),)), "b1": (q(0),) * 3,
              "W2": tuple(tuple(q(v) for v in row) for row in MAGIC_ROWS), "b2": (q(0),) * 3,
              "W3": ((q(0), q(0), q(0)),), "b3": (q(0),)}
    partition = Partition(spec, (((0, 1, 2),), ((0, 1, 2),)))
    return spec, values, partition


def test_the_known_coupled_l2_counterexample_at_the_given_point():
    spec, values, partition = l2_example()
    result = first_step_at(spec, "adam_l2", values, partition)
    assert result.verdict == "refuted"
    example = result.counterexample
    assert example.rechecked and example.identity.property in ("row sums", "column sums")
    assert first_step_at(spec, "adamw", values, partition).verdict == "proved"
    assert first_step_at(spec, "adam", values, partition).verdict == "proved"


def test_sum_identities_cover_rows_biases_and_columns():
    spec = MLP((2, 3, 1), "tanh", "mse")
    identities = sum_identities(Partition(spec, (((0, 2), (1,)),)))
    kinds = sorted({i.property for i in identities})
    assert kinds == ["class biases", "column sums", "row sums"]
    assert all(i.position[0][0] == 2 if i.property == "row sums" else True for i in identities)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam", "rmsprop", "nesterov", "clip"])
@pytest.mark.parametrize("bias", [0, Fraction(-1, 4), -3])
def test_dead_relu_units_stay_dead(name, bias):
    dead = prove_dead_stays_dead(MLP((2, 3, 1), "relu", "mse"), name, bias)
    assert dead.step.verdict == "proved" and dead.bias_status == "proved"
    assert dead.stays_nonpositive == "proved"


@pytest.mark.parametrize("name", ["weight_decay", "adamw"])
def test_weight_decay_keeps_a_dead_bias_nonpositive_while_eta_lam_at_most_1(name):
    dead = prove_dead_stays_dead(MLP((2, 3, 1), "relu", "mse"), name, -1)
    assert dead.stays_nonpositive == "conditional"
    eta, lam = sp.symbols("eta lam")
    assert sp.expand(sp.sympify(dead.factor) - (1 - eta * lam)) == 0


def test_coupled_l2_can_revive_a_dead_unit():
    dead = prove_dead_stays_dead(MLP((2, 3, 1), "relu", "mse"), "adam_l2", -1)
    assert dead.stays_nonpositive == "refuted" and float(dead.witness["b'"]) > 0


def test_quotient_lemma_holds_for_the_equitable_partition_and_fails_for_a_wrong_one():
    from symcheck.functional.equitable import coarsest_equitable, exact_parameters
    from symcheck.functional.proof import prove_quotient_lemma

    spec = MLP((1, 3, 3, 1), "tanh", "mse")
    q = sp.Rational
    values = {"W1": ((q(1, 2),), (q(1, 2),), (q(1, 2),)), "b1": (q(0),) * 3,
              "W2": ((q(2, 16), q(7, 16), q(6, 16)), (q(9, 16), q(5, 16), q(1, 16)), (q(4, 16), q(3, 16), q(8, 16))),
              "b2": (q(0),) * 3, "W3": ((q(1, 2), q(1, 4), q(1, 2)),), "b3": (q(0),)}
    partition = coarsest_equitable(spec, exact_parameters(spec, values))
    assert partition.layers != (((0, 1, 2),), ((0, 1, 2),))  # W3's columns differ: layer 2 splits
    lemma = prove_quotient_lemma(spec, values, partition)
    assert lemma.verdict == "proved" and lemma.identities == 3 * 1 + 3 + 3 * 3 + 3 + 3 + 1
    wrong = Partition(spec, (((0, 1, 2),), ((0, 1, 2),)))
    assert prove_quotient_lemma(spec, values, wrong).verdict == "refuted"
