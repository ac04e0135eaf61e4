"""prove at the class level agrees with the per-entry proof where both run."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from symcheck import MLP
from symcheck.induction.class_proof import class_level_symmetry, prove
from symcheck.cli import main
from symcheck.initialization.patterns import parse_init
from symcheck.oracle import numeric
from symcheck.induction.symmetry import prove_symmetry
from symcheck.render.sentence_text import sentence_text


@pytest.mark.parametrize("widths, activation, loss", [("2,3,1", "tanh", "mse"), ("3,4,4,2", "sigmoid", "ce"),
                                                      ("2,3,3,3,1", "relu", "mse")])
@pytest.mark.parametrize("init", ["constant", "zeros", "W=1/2,b=-1/4", "random", "W1=random,W=1,b=0",
                                  "W=0,b=random"])
def test_class_level_agrees_with_the_per_entry_proof(widths, activation, loss, init):
    spec = MLP.parse(widths, activation, loss)
    per_entry = prove_symmetry(spec, parse_init(init), 0)
    class_level = class_level_symmetry(spec, parse_init(init), 0)
    assert class_level.verdict == per_entry.verdict
    assert len(per_entry.invariants) == len(class_level.invariants)
    for (a_base, a_step), (b_base, b_step) in zip(per_entry.invariants, class_level.invariants):
        assert (a_base.invariant, a_base.status, a_step.status) == (b_base.invariant, b_base.status, b_step.status)
        assert (a_base.group, a_base.layer, a_base.property) == (b_base.group, b_base.layer, b_base.property)
        assert a_step.identities == b_step.identities
    if per_entry.counterexample is not None:
        assert class_level.counterexample.rechecked
        assert class_level.counterexample.position == per_entry.counterexample.position
    assert class_level.cross_check.passed and class_level.confirmation.consistent


@pytest.mark.parametrize("optimizer", ["adam", "adamw", "momentum", "adam_l2"])
def test_class_level_optimizers_agree(optimizer):
    spec = MLP.parse("2,3,3,1", "tanh", "mse")
    assert class_level_symmetry(spec, parse_init("constant"), 0, optimizer).verdict == \
        prove_symmetry(spec, parse_init("constant"), 0, optimizer=optimizer).verdict == "proved"


def test_wide_network_goes_through_the_class_level(capsys):
    assert main(["prove", "--widths", "784,512,512,10", "--activation", "relu", "--loss", "ce"]) == 0
    out = capsys.readouterr().out
    assert "decided at the class level" in out and "784-1-1-10" in out and "Equitable.v" in out
    assert main(["prove", "--widths", "64,300,1", "--init", "random"]) == 1


def test_sgd_on_a_wide_network_is_proved_at_the_class_level():
    spec = MLP.parse("4,60,40,1", "tanh", "mse")
    assert spec.parameter_count > 2000
    proof = prove(spec, "constant", 0, "sgd")
    assert any("class level" in note for note in map(sentence_text, proof.notes))


def test_the_class_level_step_rests_on_the_rule_for_sgd_too(monkeypatch):
    # the step status is derived from the update rule on a block, not assumed for SGD
    from symcheck.induction import class_proof
    from symcheck.functional.proof import Probe

    monkeypatch.setattr(class_proof, "prove_rule_keeps_blocks",
                        lambda *args, **kwargs: Probe("undecided", (), None))
    proof = class_level_symmetry(MLP.parse("2,3,1", "tanh", "mse"), parse_init("constant"), 0, "sgd")
    assert {check.status for check in proof.induction.checks} == {"undecided"} and proof.verdict != "proved"


def test_a_nan_in_the_numpy_gradient_fails_the_class_level_cross_check(monkeypatch):
    """Planted fault: NumPy's gradient has a NaN entry. NaN is never close (Python's max(0.0, nan)
    is 0.0, so a hand-written maximum of gaps would pass it): the cross-check fails."""
    real = numeric.backprop

    def with_nan(spec, params, x, y):
        result = real(spec, params, x, y)
        first = result.gradients["W1"].copy()
        first[0, 0] = np.nan
        return replace(result, gradients={**result.gradients, "W1": first})

    monkeypatch.setattr(numeric, "backprop", with_nan)
    proof = class_level_symmetry(MLP.parse("2,3,1", "tanh", "mse"), parse_init("constant"), 0)
    assert not proof.cross_check.gradients.passed and proof.verdict != "proved"
