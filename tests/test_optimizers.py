"""Every optimizer either proved to keep twins tied or refuted with a re-checked
exact counterexample -- decided by the engine, asserted here against the
expected mathematics (DESIGN.md §1)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from symcheck import MLP
from symcheck.induction.analysis import analyze, prove_twins_persist
from symcheck.cli import main
from symcheck.model.optimizers import OPTIMIZERS, get_optimizer
from symcheck.induction.symmetry import prove_symmetry
from symcheck.induction.twins import full_partition

PRESERVING = ["sgd", "minibatch", "momentum", "nesterov", "rmsprop", "adam", "weight_decay", "adamw", "clip",
              "adam_l2"]  # coupled L2 keeps parametric twins (it breaks functional ties: test_functional_proof)
BREAKING = ["dropout", "per_unit_lr", "gauss_seidel", "noise"]


def test_the_two_lists_cover_the_registry():
    assert sorted(PRESERVING + BREAKING) == sorted(OPTIMIZERS)


@pytest.mark.parametrize("name", PRESERVING)
@pytest.mark.parametrize("widths, activation, loss", [("2,3,1", "tanh", "mse"), ("3,2,2,2", "sigmoid", "ce")])
def test_elementwise_optimizers_keep_twins(name, widths, activation, loss):
    spec = MLP.parse(widths, activation, loss)
    result = prove_twins_persist(full_partition(spec), name)
    assert result.verdict == "proved"
    assert result.counterexample is None
    groups = {c.group for c in result.checks}
    for state in get_optimizer(name).state:  # the state is checked too
        assert any(g.startswith(f"{state}:") for g in groups)
    assert all(c.status == "proved" and c.identities > 0 for c in result.checks)


@pytest.mark.parametrize("name", BREAKING)
@pytest.mark.parametrize("widths, activation, loss", [("2,2,1", "sigmoid", "bce"), ("2,3,2", "relu", "mse")])
def test_unit_treating_optimizers_are_refuted_with_rechecked_counterexamples(name, widths, activation, loss):
    spec = MLP.parse(widths, activation, loss)
    result = prove_twins_persist(full_partition(spec), name)
    assert result.verdict == "refuted"
    example = result.counterexample
    assert example is not None and example.rechecked
    assert example.value != example.reference_value
    assert example.recheck_value != example.recheck_reference_value
    assert all(isinstance(v, Fraction) for v in example.point.values())


def test_rational_network_is_rechecked_in_exact_fractions():
    spec = MLP.parse("2,3,2", "relu", "mse")
    example = prove_twins_persist(full_partition(spec), "per_unit_lr").counterexample
    assert "exact rational" in example.recheck_domain
    assert "/" in example.recheck_value or example.recheck_value.lstrip("-").isdigit()


def test_gauss_seidel_on_a_wide_layer_is_refuted_at_one_point():
    spec = MLP.parse("2,8,1", "tanh", "mse")
    result = prove_twins_persist(full_partition(spec), "gauss_seidel")
    assert result.concrete and result.verdict == "refuted" and result.counterexample.rechecked


def test_counterexample_hyperparameters_are_meaningful():
    spec = MLP.parse("2,2,1", "tanh", "mse")
    example = prove_twins_persist(full_partition(spec), "per_unit_lr").counterexample
    assert all(v > 0 for k, v in example.point.items() if k.startswith("eta"))


@pytest.mark.parametrize("name, code", [("adam", 0), ("gauss_seidel", 1), ("dropout", 1)])
def test_prove_optimizer_exit_codes(name, code, capsys):
    assert main(["prove", "--widths", "2,2,1", "--activation", "sigmoid", "--optimizer", name]) == code
    out = capsys.readouterr().out
    assert f"Optimizer: {name}" in out


def test_prove_optimizer_json_and_counterexample(capsys):
    import json

    assert main(["prove", "--widths", "2,2,1", "--optimizer", "noise", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["optimizer"] == "noise" and data["verdict"] == "refuted"
    assert data["counterexample"]["rechecked"] is True
    assert data["counterexample"]["stage"] == "step"


def test_prove_symmetry_defaults_to_sgd_unchanged():
    spec = MLP.parse("2,3,1", "tanh", "mse")
    assert prove_symmetry(spec).optimizer == "sgd"
    assert prove_symmetry(spec, optimizer="momentum").verdict == "proved"


def test_unknown_optimizer_is_a_one_line_error(capsys):
    assert main(["analyze", "--widths", "2,2,1", "--optimizer", "adma"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'adam'" in err and err.count("\n") == 1


def test_analyze_refuted_optimizer_exits_1_and_shows_values(capsys):
    assert main(["analyze", "--widths", "2,2,1", "--activation", "sigmoid", "--loss", "bce",
                 "--init", "W=1/2,b=0", "--optimizer", "gauss_seidel"]) == 1
    out = capsys.readouterr().out
    assert "Counterexample" in out and "confirmed" in out and "NOT confirmed" not in out


def test_analyze_with_state_optimizer_on_partial_ties():
    spec = MLP.parse("2,3,3,1", "tanh", "mse")
    a = analyze(spec, "W1=random,W2=1/2,W3=1/2,b=0", "adam")
    assert a.partition.effective_widths == (3, 1)
    assert a.verdict == "proved" and a.numeric.twins_stay_equal
