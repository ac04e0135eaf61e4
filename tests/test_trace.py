"""Traces: seed 000's case table for the 2-2-1 sigmoid/BCE network, and dead networks."""

from __future__ import annotations

import json

import pytest

from symcheck import MLP
from symcheck.cli import main
from symcheck.induction.trace import trace

NETWORK = ["--widths", "2,2,1", "--activation", "sigmoid", "--loss", "bce"]
ALL = ["W1", "b1", "W2", "b2"]


def run_json(capsys, *args):
    code = main(["trace", *NETWORK, *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_case_a_zero_weights_zero_biases(capsys):
    code, data = run_json(capsys, "--init", "W=0,b=0", "--steps", "3")
    assert code == 0
    first, *rest = data["steps"]
    assert first["moved"] == ["W2", "b2"] and first["zero_gradient"] == ["W1", "b1"]
    assert "W2" in first["equal_moves"]  # the output weights move by equal amounts
    assert all(step["moved"] == ALL and step["zero_gradient"] == [] for step in rest)
    assert all(step["invariants_hold"] for step in data["steps"])  # the symmetry never breaks
    assert data["initial_invariants_hold"]


def test_case_b_zero_weights_random_biases(capsys):
    code, data = run_json(capsys, "--init", "W=0,b=random", "--steps", "2")
    assert code == 0
    first, second = data["steps"]
    assert first["moved"] == ["W2", "b2"] and first["zero_gradient"] == ["W1", "b1"]
    assert second["moved"] == ALL
    assert not second["invariants_hold"]  # the units are distinct
    w1 = next(i for i in second["invariants"] if i["invariant"].startswith("W1"))
    assert w1["status"] == "fails" and w1["witness"]["point"]
    assert w1["witness"]["rechecked"] is True and " vs " in w1["witness"]["replayed"]


def test_failing_invariant_witnesses_are_replayed_step_by_step():
    t = trace(MLP.parse("2,2,1", "tanh", "mse"), "W1=random,W2=1/2,b=0", 2)
    failures = [i for i in (*t.initial_invariants, *(i for s in t.steps for i in s.invariants))
                if i.status == "fails"]
    assert len(failures) >= 3  # W1 fails at the start, then at every step
    for failure in failures:
        assert failure.witness.rechecked, failure
        left, right = failure.witness.recheck.split(" vs ")
        assert left != right


def test_case_c_random_weights_zero_biases(capsys):
    code, data = run_json(capsys, "--init", "W=random,b=0", "--steps", "2")
    assert code == 0
    assert all(step["moved"] == ALL for step in data["steps"])
    assert not any(step["invariants_hold"] for step in data["steps"])


def test_every_moving_claim_has_a_replayed_witness():
    t = trace(MLP.parse("2,2,1", "sigmoid", "bce"), "W=0,b=0", 2)
    for step in t.steps:
        for group in step.groups:
            if group.status == "moves":
                assert group.witness is not None and group.witness.rechecked
            else:
                assert group.witness is None


@pytest.mark.parametrize("activation", ["tanh", "relu", "identity"])
def test_dead_network_only_output_bias_moves(activation, capsys):
    code = main(["trace", "--widths", "2,3,1", "--activation", activation, "--init", "W=0,b=0",
                 "--steps", "2", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert all(step["moved"] == ["b2"] for step in data["steps"])
    dead = data["dead_network"]
    assert dead["verdict"] == "proved" and dead["output_bias"]["status"] == "moves"


def test_sigmoid_zero_init_is_not_dead(capsys):
    code, data = run_json(capsys, "--init", "W=0,b=0", "--steps", "1")
    assert data["dead_network"] is None


def test_trace_text_mentions_the_data_convention_and_is_deterministic(capsys):
    args = ["trace", *NETWORK, "--init", "W=0,b=0", "--steps", "2"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first
    assert "own symbolic example" in first and "every entry by the same amount" in first


def test_symbolic_constant_init_trace():
    t = trace(MLP.parse("2,2,1", "sigmoid", "mse"), "constant", 1)
    assert t.steps[0].moved == ALL and t.steps[0].invariants_hold


@pytest.mark.parametrize("steps", ["0", "7"])
def test_steps_out_of_range_exit_2(steps, capsys):
    with pytest.raises(SystemExit) as stop:  # refused by the option's parser, before any work
        main(["trace", *NETWORK, "--steps", steps])
    assert stop.value.code == 2
    assert "steps" in capsys.readouterr().err
