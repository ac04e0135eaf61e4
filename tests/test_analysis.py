"""analyze: effective widths, JSON shape, dead networks, K = 0, exit codes."""

from __future__ import annotations

import json
import re

import pytest

from symcheck import MLP
from symcheck.induction.analysis import analyze
from symcheck.cli import main


def analyze_json(capsys, *args):
    code = main(["analyze", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_width_128_has_effective_width_1(capsys):
    assert main(["analyze", "--widths", "3,128,128,1", "--activation", "sigmoid", "--init", "W=0.5,b=0"]) == 0
    out = capsys.readouterr().out
    assert "layer 1: effective width 1 of 128" in out
    assert "layer 2: effective width 1 of 128" in out
    assert "Verdict: PROVED" in out


def test_json_layers_shape(capsys):
    code, data = analyze_json(capsys, "--widths", "2,4,3,1", "--init", "W1=random,W2=1,W3=1,b=0")
    assert code == 0
    assert data["layers"] == [
        {"layer": 1, "width": 4, "effective_width": 4, "classes": [[0], [1], [2], [3]],
         "functional_classes": [[0], [1], [2], [3]], "functional_width": 4, "dead_units": [], "live_width": 4},
        {"layer": 2, "width": 3, "effective_width": 1, "classes": [[0, 1, 2]],
         "functional_classes": [[0, 1, 2]], "functional_width": 1, "dead_units": [], "live_width": 1},
    ]
    assert data["twins_persist"]["verdict"] == "proved"
    checks = data["twins_persist"]["inductive_step"]["checks"]
    assert checks and all(c["status"] == "proved" for c in checks)
    assert data["numeric_confirmation"]["twins_stay_equal"] is True


def test_all_distinct_units_are_reported_without_a_proof(capsys):
    code, data = analyze_json(capsys, "--widths", "2,3,1", "--init", "W=random,b=0")
    assert code == 0
    assert data["layers"][0]["effective_width"] == 3
    assert data["twins_persist"]["inductive_step"] is None


@pytest.mark.parametrize("activation", ["tanh", "relu", "identity", "gelu", "elu", "leaky_relu"])
def test_dead_network_proved_for_zero_at_zero_activations(activation):
    a = analyze(MLP.parse("2,3,3,1", activation, "mse"), "W=0,b=0")
    assert a.dead is not None and a.dead.verdict == "proved"
    assert a.dead.extra["output_bias"]["status"] == "moves"


def test_dead_network_with_a_random_output_bias_is_still_dead():
    a = analyze(MLP.parse("2,3,1", "tanh", "mse"), "W=0,b1=0,b2=random")
    assert a.dead is not None and a.dead.verdict == "proved"


def test_dead_network_claim_is_absent_for_sigmoid_and_for_nonzero_bias():
    assert analyze(MLP.parse("2,3,1", "sigmoid", "mse"), "W=0,b=0").dead is None
    assert analyze(MLP.parse("2,3,1", "tanh", "mse"), "W=0,b=1").dead is None


def test_noise_revives_a_dead_network():
    a = analyze(MLP.parse("2,2,1", "tanh", "mse"), "W=0,b=0", "noise")
    assert a.dead.verdict == "refuted" and a.dead.step.counterexample.rechecked


def test_dead_network_text(capsys):
    assert main(["analyze", "--widths", "2,3,1", "--activation", "relu", "--init", "W=0,b=0"]) == 0
    out = capsys.readouterr().out
    assert "only b2 ever moves" in out and "never learns" in out


@pytest.mark.parametrize("widths, activation, loss", [
    ("3,1", "identity", "mse"),   # linear regression
    ("3,1", "identity", "bce"),   # logistic regression
    ("3,4", "identity", "ce"),    # softmax regression
])
def test_no_hidden_layer_constant_init_is_fine(widths, activation, loss, capsys):
    code, data = analyze_json(capsys, "--widths", widths, "--activation", activation, "--loss", loss,
                              "--init", "W=0,b=0")
    assert code == 0
    assert data["layers"] == []
    claims = data["no_hidden_layer"]
    assert claims and all(c["verdict"] == "refuted" for c in claims)
    assert all(c["inductive_step"]["counterexample"]["rechecked"] for c in claims)
    if loss == "ce":
        assert {c["name"] for c in claims} == {"input weights", "output units"}


def test_no_hidden_layer_text(capsys):
    assert main(["analyze", "--widths", "2,1", "--loss", "bce", "--init", "zeros"]) == 0
    out = capsys.readouterr().out
    assert "FINE" in out and "Counterexample" in out


def test_analyze_output_is_deterministic(capsys):
    args = ["analyze", "--widths", "2,2,1", "--activation", "sigmoid", "--optimizer", "dropout", "--json"]
    assert main(args) == 1
    first = capsys.readouterr().out
    assert main(args) == 1
    assert capsys.readouterr().out == first


def test_symbolic_constant_init_is_analyzed(capsys):
    assert main(["analyze", "--widths", "2,3,1", "--init", "constant"]) == 0
    assert "effective width 1 of 3" in capsys.readouterr().out


@pytest.mark.parametrize("widths, init, activation", [("3,2", "zeros", "identity"), ("2,2,1", "W=0,b=0", "tanh")])
def test_each_claim_runs_the_update_once(widths, init, activation, monkeypatch):
    """The dead network's output bias and the K = 0 claims read the update the engine ran."""
    from symcheck.induction import engine

    calls = []
    run = engine.Problem.run
    monkeypatch.setattr(engine.Problem, "run", lambda self: calls.append(1) or run(self))
    result = analyze(MLP.parse(widths, activation, "mse"), init, numeric=False)
    claims = [c for c in (*result.regression, result.dead) if c is not None]
    assert len(claims) == (2 if widths == "3,2" else 1)
    assert len(calls) == 1 + (result.twins is not None and result.twins.step is not None)


def test_counterexample_text_has_entries_not_symbol_names_and_short_numbers(capsys):
    from symcheck.cli import main

    assert main(["analyze", "--widths", "2,2,1", "--init", "W=1/2,b=0", "--optimizer", "dropout"]) == 1
    out = capsys.readouterr().out
    point = next(line for line in out.splitlines() if "at the rational point" in line)
    assert "W1_0_0" not in out and "W1[0, 0] = " in point  # the point, in entry notation
    values = next(line for line in out.splitlines() if line.startswith("  W1[1, 0] "))
    assert "≈" in values and not re.search(r"\d\.\d{5,}", values)  # 4 significant digits, never 20
