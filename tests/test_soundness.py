"""Planted faults: each test breaks one rule of the engine and shows that the
theorem library notices -- a theorem stops getting its expected verdict, and the
independent route that flagged it says so in the evidence.

Faults are planted the way a real bug would act: the faulty function replaces
the original everywhere symcheck bound it (``plant``). Theorems are decided in
this process (``decide``), so the monkeypatches apply. Every test fails if its
fault goes unnoticed; ``test_unfaulted_baseline`` shows that the same theorems
pass without faults, so the detection is the fault's doing.
"""

from __future__ import annotations

import dataclasses
import importlib
import sys
from fractions import Fraction

import pytest
import sympy as sp

from symcheck.exact import decide as decider
from symcheck.induction import engine, subspace
from symcheck.symbolic.backprop import matvec
from symcheck.exact.decide import Decision
from symcheck.exact.verdict import PROVED, REFUTED
from symcheck.model import optimizers
from symcheck.model.losses import LOSSES
from symcheck.theorems import decide, load_theorem
from theorem_helpers import PROOFS, symmetry_theorem, write

# symcheck.symbolic.backprop is also the name of a function in the package namespace
backprop_module = importlib.import_module("symcheck.symbolic.backprop")

SYMMETRY = PROOFS / "symmetry-2-2-1-sigmoid-bce.toml"  # true: expect proved
RANDOM = PROOFS / "symmetry-random-init-refuted.toml"  # false claim: expect refuted
SIGMOID_GRADIENT = PROOFS / "gradient-sigmoid-by-hand.toml"  # exact values by hand


def plant(monkeypatch, original, replacement) -> None:
    """Replace ``original`` by ``replacement`` in every symcheck module that holds it."""
    planted = 0
    for name, module in list(sys.modules.items()):
        if name == "symcheck" or name.startswith("symcheck."):
            for attribute, value in list(vars(module).items()):
                if value is original:
                    monkeypatch.setattr(module, attribute, replacement)
                    planted += 1
    assert planted, "the fault was not planted anywhere"


def outcome(path):
    theorem = load_theorem(path)
    got, summary, evidence, _ = decide(theorem)
    return theorem.expect, got, "\n".join([summary, *evidence])


def assert_caught(path, flagged_by: str):
    """The theorem does not get its expected verdict, and ``flagged_by`` explains why."""
    expect, got, evidence = outcome(path)
    assert got != expect, f"planted fault NOT caught: {path.name} still {got}"
    assert got != PROVED or expect == PROVED, "a known-false theorem became proved"
    assert flagged_by in evidence, evidence


@pytest.mark.parametrize("path", [SYMMETRY, RANDOM, SIGMOID_GRADIENT], ids=lambda p: p.stem)
def test_unfaulted_baseline(path):
    expect, got, _ = outcome(path)
    assert got == expect


# ------------------------------------------------------------ backprop rules

def test_dropped_activation_derivative_is_caught(monkeypatch):
    # rule (2): delta_i = dL/dh_i (.) sigma'(z_i), with the sigma' factor forgotten
    plant(monkeypatch, backprop_module.hadamard, lambda a, b: tuple(a))
    assert_caught(SYMMETRY, "withheld")
    assert_caught(SIGMOID_GRADIENT, "independent routes disagree")


def test_weight_instead_of_transpose_is_caught(monkeypatch, tmp_path):
    # rule (3): dL/dh_{i-1} = W_i delta_i instead of W_i^T delta_i (square layers, so shapes fit)
    plant(monkeypatch, backprop_module.transpose_matvec, lambda W, d: matvec(W, d))
    path = write(tmp_path / "square.toml", symmetry_theorem(widths="[2, 2, 2]", activation='"tanh"'))
    assert outcome(path)[1] != PROVED
    assert_caught(path, "withheld")


def test_wrong_sign_of_output_gradient_is_caught(monkeypatch):
    mse = LOSSES["mse"]
    monkeypatch.setitem(LOSSES, "mse", dataclasses.replace(
        mse, symbolic_gradient=lambda o, y: [yk - ok for ok, yk in zip(o, y)]))
    assert_caught(SIGMOID_GRADIENT, "independent routes disagree")


def test_missing_bias_gradient_is_caught(monkeypatch, tmp_path):
    original = backprop_module.backprop

    def without_bias_gradients(spec, params, x, y):
        result = original(spec, params, x, y)
        gradients = {name: (tuple(sp.S.Zero for _ in g) if name.startswith("b") else g)
                     for name, g in result.gradients.items()}
        return dataclasses.replace(result, gradients=gradients)

    plant(monkeypatch, original, without_bias_gradients)
    assert_caught(SYMMETRY, "withheld")
    assert_caught(SIGMOID_GRADIENT, "independent routes disagree")


def test_wrong_loss_gradient_is_caught(monkeypatch):
    # bce's dL/do taken as (s - y) * s (1 - s): the sigmoid's derivative counted twice
    bce = LOSSES["bce"]
    from symcheck.model.activations import sigmoid

    monkeypatch.setitem(LOSSES, "bce", dataclasses.replace(
        bce, symbolic_gradient=lambda o, y: [(sigmoid(ok) - yk) * sigmoid(ok) * (1 - sigmoid(ok))
                                            for ok, yk in zip(o, y)]))
    assert_caught(SYMMETRY, "withheld")


# ------------------------------------------------------- invariant predicates

def test_predicate_that_always_holds_is_caught(monkeypatch):
    original = engine.check_base

    def always_holds(identities, start, seed=0):
        checks, _ = original(identities, start, seed)
        return tuple(dataclasses.replace(check, status=PROVED) for check in checks), None

    plant(monkeypatch, original, always_holds)
    assert_caught(RANDOM, "numeric confirmation contradicts")


def test_predicate_comparing_wrong_entries_is_caught(monkeypatch):
    # every entry compared with itself instead of with its reference entry
    original = subspace.tie_identities
    plant(monkeypatch, original, lambda partition: [i._replace(reference=i.position) for i in original(partition)])
    assert_caught(RANDOM, "numeric confirmation contradicts")


# ------------------------------------------------------------- update rule

# The update rule is one function for every number system (``optimizers.gradient_step``): a
# fault in the rule itself is caught by its definition tests (tests/test_oracle.py), not by
# comparing routes. What the routes catch is a wrong step on the symbolic side: planted for
# SymPy values only (a symbolic learning rate), while float and exact replays step correctly.

def symbolic_only(fault):
    original = optimizers.gradient_step
    return lambda params, grads, lr: (fault if isinstance(lr, sp.Basic) else original)(params, grads, lr)


def test_wrong_sign_in_update_rule_is_caught(monkeypatch):
    original = optimizers.gradient_step
    plant(monkeypatch, original, symbolic_only(lambda params, grads, lr: original(params, grads, -lr)))
    assert_caught(SYMMETRY, "withheld")


def test_learning_rate_on_some_entries_only_is_caught(monkeypatch):
    # eta applied to the first row of each weight matrix only (a per-unit learning rate by mistake)
    def partial_step(params, grads, lr):
        def step(value, grad):
            if value and isinstance(value[0], tuple):
                return tuple(tuple(v - (lr if r == 0 else 1) * g for v, g in zip(row, grow))
                             for r, (row, grow) in enumerate(zip(value, grad)))
            return tuple(v - lr * g for v, g in zip(value, grad))
        return {name: step(params[name], grads[name]) for name in params}

    plant(monkeypatch, optimizers.gradient_step, symbolic_only(partial_step))
    assert_caught(SYMMETRY, "withheld")


# ------------------------------------------------------------ equality check

def test_equality_check_that_always_says_equal_is_caught(monkeypatch):
    plant(monkeypatch, decider.decide_equal, lambda lhs, rhs, *args, **kwargs: Decision(PROVED, "planted"))
    assert_caught(RANDOM, "numeric confirmation contradicts")


def test_equality_check_that_always_says_different_is_caught(monkeypatch):
    def always_different(lhs, rhs, *args, **kwargs):
        symbols = sorted(sp.sympify(lhs).free_symbols | sp.sympify(rhs).free_symbols, key=str)
        point = {s.name: Fraction(1, 2) for s in symbols}
        return Decision(REFUTED, "planted", point, sp.S.One, sp.S.Zero)

    plant(monkeypatch, decider.decide_equal, always_different)
    assert_caught(SYMMETRY, "withheld")


# ------------------------------------------------------------ the oracle itself

def test_fault_in_the_numeric_reference_is_caught(monkeypatch):
    # the oracle can be wrong too: then symbolic and NumPy disagree and nothing is proved
    from symcheck.oracle import numeric

    original = numeric.backprop

    def scaled(spec, params, x, y):
        result = original(spec, params, x, y)
        return dataclasses.replace(result, gradients={k: 2 * v for k, v in result.gradients.items()})

    plant(monkeypatch, original, scaled)
    assert_caught(SYMMETRY, "withheld")
    assert_caught(SIGMOID_GRADIENT, "independent routes disagree")


# ------------------------------------------------------------ optimizer path

def test_replay_that_disagrees_withholds_an_optimizer_refutation(monkeypatch):
    """A counterexample to the inductive step whose independent replay fails must not refute:
    the engine withholds it and ``prove_symmetry`` keeps the step's verdict for every optimizer."""
    from symcheck import MLP
    from symcheck.initialization.patterns import parse_init
    from symcheck.induction.symmetry import prove_symmetry

    spec, init = MLP.parse("2,3,1", "sigmoid", "bce"), parse_init("W=1/2,b=0", 0)
    assert prove_symmetry(spec, init, optimizer="per_unit_lr").verdict == REFUTED  # unfaulted
    original = engine.recheck

    def replay_disagrees(*args, **kwargs):
        return dataclasses.replace(original(*args, **kwargs), rechecked=False)

    plant(monkeypatch, original, replay_disagrees)
    proof = prove_symmetry(spec, init, optimizer="per_unit_lr")
    assert proof.verdict == "undecided"
    assert proof.counterexample is not None and not proof.counterexample.rechecked
