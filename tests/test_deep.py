"""Deep networks: no recursion whose depth grows with the network (up to the supported 256 layers)."""

import math
import subprocess
import sys

import pytest
import sympy as sp

from symcheck.model.activations import sigmoid
from symcheck.exact.evaluation import dag_free_symbols, evaluate, evaluate_many
from symcheck.model.spec import MAX_HIDDEN_LAYERS

#: Python's own default recursion limit.
DEFAULT_RECURSION_LIMIT = 1000


def test_evaluation_walks_a_deep_expression_without_recursion():
    x = sp.Symbol("x", real=True)
    expr, expected = x, 0.25
    # Python's default limit, whatever an earlier in-process CLI run raised it to
    # (symbolic.recursion), so the depth below is far beyond what recursion could walk
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(DEFAULT_RECURSION_LIMIT)
    try:
        for _ in range(5 * DEFAULT_RECURSION_LIMIT):
            expr = sigmoid(expr) - sp.Rational(1, 3)
            expected = 1 / (1 + math.exp(-expected)) - 1 / 3
        value = evaluate(expr, {x: sp.Rational(1, 4)})
        assert value is not None and abs(float(value) - expected) < 1e-12
        assert dag_free_symbols(expr) == {x}
    finally:
        sys.setrecursionlimit(limit)


def test_a_failing_branch_that_is_not_taken_does_not_fail_the_value():
    x = sp.Symbol("x", real=True)
    branchy = sp.Piecewise((sp.log(x), x > 0), (x ** 2, True))
    assert evaluate_many([branchy, sp.log(x)], {x: sp.Integer(-2)}) == [4, None]


def _widths(hidden: int) -> str:
    return ",".join(["2"] * (hidden + 1) + ["1"])


@pytest.mark.parametrize("hidden, activation, loss", [
    (100, "tanh", "mse"),
    (100, "sigmoid", "bce"),
    pytest.param(MAX_HIDDEN_LAYERS, "relu", "mse", marks=pytest.mark.slow),
    pytest.param(MAX_HIDDEN_LAYERS, "sigmoid", "bce", marks=pytest.mark.slow),
])
def test_prove_a_deep_network(hidden, activation, loss):
    """Within the documented limit the proof completes: no RecursionError, no traceback."""
    done = subprocess.run([sys.executable, "-m", "symcheck", "prove", "--widths", _widths(hidden),
                           "--activation", activation, "--loss", loss, "--format", "json"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stderr == "" and '"verdict": "proved"' in done.stdout


def test_piecewise_conditions_made_of_several_comparisons():
    x = sp.Symbol("x", real=True)
    box = sp.Piecewise((1, sp.And(x > 0, x < 2)), (2, sp.Or(x < -5, sp.Not(x < 3))), (0, True))
    values = [evaluate(box, {x: sp.Integer(v)}) for v in (1, 3, -6, -1)]
    assert values == [1, 2, 2, 0]
