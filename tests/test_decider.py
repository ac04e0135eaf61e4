"""The one equality decider (``symcheck.exact.decide``): each stage, its ranges, its
concrete mode and its precision policy (relative to the magnitudes involved, never an
absolute threshold)."""

import sys
import time
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from symcheck import MLP, budget
from symcheck.exact.decide import (CANCEL, EVALUATION, EXACT_NUMBERS, EXPAND, SIMPLIFY, SYNTACTIC, decide_all,
                                   decide_equal, find_counterexample)
from symcheck.errors import InvalidExpression
from symcheck.exact.evaluation import FUNCTIONS, evaluate_checked, evaluate_many
from symcheck.exact.recheck import confirmed_by_sympy
from symcheck.exact.sampling import Sampler
from symcheck.exact.verdict import PROVED, REFUTED, UNDECIDED
from symcheck.handout.exact import NONZERO, UNKNOWN, Evaluator
from symcheck.model.activations import f, gelu, relu, sigmoid
from symcheck.model.optimizers import get_optimizer

x, y = sp.symbols("x y", real=True)
BIG = sp.Integer(10) ** 40


def exact_sides(decision, lhs, rhs):
    """Both sides at the witness point, by SymPy's own evaluation (not the DAG evaluator)."""
    point = {sp.Symbol(name, real=True): sp.Rational(value.numerator, value.denominator)
             for name, value in decision.point.items()}
    return [side.xreplace(point).evalf(80) for side in (lhs, rhs)]


def test_identical_trees_are_proved_without_sampling():
    decision = decide_equal(sp.tanh(x) * y, y * sp.tanh(x))
    assert (decision.status, decision.method) == (PROVED, SYNTACTIC)
    assert decision.witness is None


def test_refutation_carries_an_exact_point_where_the_sides_differ():
    lhs, rhs = sp.tanh(x), x
    decision = decide_equal(lhs, rhs)
    assert (decision.status, decision.method) == (REFUTED, EVALUATION)
    assert all(isinstance(v, Fraction) for v in decision.point.values()) and set(decision.point) == {"x"}
    left, right = exact_sides(decision, lhs, rhs)
    assert abs(left - right) > 1e-3  # the sides really differ there
    assert abs(left - sp.Float(decision.lhs_value, 80)) < 1e-50  # and the values reported are theirs
    assert abs(right - sp.Float(decision.rhs_value, 80)) < 1e-50


def test_a_conjunction_decides_each_pair_by_the_same_stages_as_one_identity():
    one, two = sp.Integer(1), sp.Integer(2)
    assert decide_all([(one, two)], Sampler()) == [decide_equal(one, two)]  # exact numbers, not a search
    assert decide_all([(sp.tanh(x), x)], Sampler())[0].method == decide_equal(sp.tanh(x), x).method


def test_two_different_rationals_are_refuted_exactly():
    decision = decide_equal(sp.Rational(1, 3), sp.Rational(1, 3) + sp.Rational(1, 10**40))
    assert (decision.status, decision.method) == (REFUTED, EXACT_NUMBERS)
    assert decision.lhs_value - decision.rhs_value == -sp.Rational(1, 10**40)


@pytest.mark.parametrize("lhs, rhs, method", [
    ((x + y) ** 2, x**2 + 2 * x * y + y**2, EXPAND),
    (1 / (x**2 + 1) + 1 / (y**2 + 1), (x**2 + y**2 + 2) / ((x**2 + 1) * (y**2 + 1)), CANCEL),
    (sp.sin(x) ** 2 + sp.cos(x) ** 2, 1, SIMPLIFY),
])
def test_normal_forms_prove_identities_built_differently(lhs, rhs, method):
    decision = decide_equal(lhs, rhs)
    assert (decision.status, decision.method) == (PROVED, method)


def test_what_no_stage_settles_is_undecided_never_proved():
    decision = decide_equal(f(x), sp.tanh(x))  # equal for the stand-in f = tanh, not for every f
    assert decision.status == UNDECIDED


def test_the_generic_activation_is_evaluated_as_tanh():
    decision = decide_equal(f(x), x)
    assert decision.status == REFUTED
    point = sp.Rational(decision.point["x"].numerator, decision.point["x"].denominator)
    assert abs(sp.Float(decision.lhs_value, 60) - sp.tanh(point).evalf(60)) < 1e-50


def test_a_claim_true_for_positive_learning_rates_is_not_refuted():
    """|eta| = eta holds for every learning rate the optimizer allows (eta > 0)."""
    eta = sp.Symbol("eta", real=True)
    sgd_sampler = Sampler(MLP.parse("2,2,1", "tanh", "mse"), get_optimizer("sgd"))
    assert decide_equal(sp.Abs(eta), eta, sgd_sampler).status == UNDECIDED
    assert decide_equal(sp.Abs(eta), eta, Sampler()).status == REFUTED  # over all reals it is false


def test_symbols_declared_positive_are_sampled_positive():
    """sqrt(eta^2 + 2 eta + 1) = eta + 1 needs eta >= -1: a positive symbol never refutes it."""
    positive, real = sp.Symbol("eta", positive=True), sp.Symbol("eta", real=True)
    assert decide_equal(sp.sqrt(positive**2 + 2 * positive + 1), positive + 1).status != REFUTED
    assert decide_equal(sp.sqrt(real**2 + 2 * real + 1), real + 1).status == REFUTED


def test_targets_are_sampled_in_the_loss_range():
    target = sp.Symbol("y_0", real=True)
    claim = (sp.Abs(target * (1 - target)), target * (1 - target))  # true for targets in [0, 1]
    bce = Sampler(MLP.parse("2,2,1", "sigmoid", "bce"), get_optimizer("sgd"))
    assert decide_equal(*claim, bce).status != REFUTED
    assert decide_equal(*claim, Sampler(MLP.parse("2,2,1", "sigmoid", "mse"), get_optimizer("sgd"))).status == REFUTED


def test_concrete_mode_never_proves():
    assert decide_equal(x, x, concrete=True).status == UNDECIDED
    assert decide_equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1, concrete=True).status == UNDECIDED
    at = {x: sp.Rational(1, 3)}
    assert decide_equal(sp.tanh(x), sp.sinh(x) / sp.cosh(x), at=at).status == UNDECIDED
    assert decide_equal(sp.tanh(x), x, at=at).status == REFUTED  # it may still refute
    assert decide_equal(sp.tanh(x), y, at=at).status == UNDECIDED  # y has no value: nothing to say


@pytest.mark.parametrize("lhs, rhs", [
    (BIG * sp.tanh(x), BIG * sp.sinh(x) / sp.cosh(x)),  # both sides about 1e40
    ((BIG + x) ** 2 - BIG**2 - 2 * BIG * x, x**2),  # huge terms that cancel
])
def test_a_true_identity_of_large_magnitude_is_not_refuted(lhs, rhs):
    points = [sp.Rational(3, 7), sp.Rational(-5, 3), sp.Rational(1, 9)]
    gaps = [abs(a - b) for a, b in (evaluate_many([lhs, rhs], {x: p}) for p in points)]
    assert max(gaps) > mpmath.mpf(10) ** -30  # a 1e-30 absolute threshold would refute it
    assert find_counterexample(lhs, rhs, Sampler(), trials=12) is None
    assert decide_equal(lhs, rhs).status == PROVED


@pytest.mark.parametrize("lhs, rhs, relative", [
    (BIG * x, BIG * x * (1 + sp.Rational(1, 10**20)), 1e-20),
    (sp.tanh(x), sp.tanh(x) + sp.Rational(1, 10**25), 1e-25),
])
def test_a_tiny_but_real_relative_difference_refutes(lhs, rhs, relative):
    decision = decide_equal(lhs, rhs)
    assert decision.status == REFUTED
    left, right = exact_sides(decision, lhs, rhs)
    assert 0 < abs(left - right) <= 10 * relative * max(abs(left), abs(right), 1)


def test_a_conjunction_stops_at_its_first_refuted_identity():
    decisions = decide_all([(x * y, y * x), (sp.tanh(x), x), (x, x + 1)], Sampler())
    assert [d.status for d in decisions] == [PROVED, REFUTED]
    proved = decide_all([(x * y, y * x), ((x + 1) ** 2, x**2 + 2 * x + 1)], Sampler())
    assert [d.status for d in proved] == [PROVED, PROVED]


def test_derived_symbols_are_computed_from_the_point_not_sampled():
    """s stands for x^2 (as a trace's abbreviated entries do): s >= 0 holds at every point."""
    s = sp.Symbol("s", real=True)
    derived = {s: x**2}
    assert find_counterexample(sp.Abs(s), s, Sampler(), derived=derived) is None
    assert decide_equal(sp.Abs(s), s, Sampler()).status == REFUTED  # s sampled freely: false


def test_values_known_to_60_digits_that_are_equal_are_not_called_different():
    """The handout decides at stand-in values known to 60 digits: two equal values that were
    computed differently differ in their last digits, which is not a difference."""
    evaluator = Evaluator()
    one = sp.Rational(1, 3)
    a, b = evaluator.abstract_parameters({"b1": (sp.tanh(one), (sp.exp(2 * one) - 1) / (sp.exp(2 * one) + 1))})["b1"]
    assert a != b
    assert evaluator.zeroness(a - b) == UNKNOWN
    assert evaluator.zeroness(a - b + sp.Rational(1, 10**20)) == NONZERO


def test_an_uninterpreted_function_has_no_value_so_it_refutes_nothing():
    """A generic loss ell: its derivative at a point cannot be evaluated (SymPy's evalf of it
    recurses without end); the decider must neither refute nor fail."""
    ell = sp.Function("ell")
    gradient = sp.diff(ell(x**2 + y), x)
    assert gradient.has(sp.Subs)
    assert decide_equal(gradient, 0).status == UNDECIDED
    assert decide_equal(gradient, 2 * x * sp.diff(ell(x**2 + y), y)).status != REFUTED


# ------------------------------------------------------------ soundness at jumps, domains, limits

#: exactly 0 for every x, but not reduced to 0 by SymPy: evaluated, it is rounding noise
LOGISTIC_ZERO = 1 / (1 + sp.exp(-x)) + 1 / (1 + sp.exp(x)) - 1


@pytest.mark.parametrize("zero", [LOGISTIC_ZERO, sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1,
                                  sp.tanh(x) ** 2 + sp.sech(x) ** 2 - 1, sp.exp(x) * sp.exp(y) - sp.exp(x + y)])
@pytest.mark.parametrize("seed", range(6))
def test_a_jump_at_an_argument_that_is_zero_up_to_rounding_refutes_nothing(zero, seed):
    """Heaviside(0) = 0 here; a computed +1e-60 of the same sign at 45 and 60 digits once made
    the jump 1 at both precisions and refuted the true identity."""
    assert decide_equal(sp.Heaviside(zero, 0), 0, Sampler(seed=seed)).status != REFUTED
    assert decide_equal(sp.Piecewise((1, sp.Eq(zero, 0)), (0, True)), 1, Sampler(seed=seed)).status != REFUTED


def test_a_jump_on_a_clear_side_still_refutes():
    decision = decide_equal(sp.Heaviside(x - sp.Rational(1, 100), 0) * y, y)
    assert decision.status == REFUTED
    assert decision.point["x"] < Fraction(1, 100)


def test_a_jump_at_an_exact_zero_follows_the_convention_and_is_not_noise():
    """ReLU'(0) = 0 at a point where the argument is exactly 0 (exact rationals): no noise."""
    third = sp.Rational(1, 3)
    evaluation = evaluate_checked([sp.Heaviside(x - y, 0)], {x: third, y: third})
    assert evaluation.values == [0] and not evaluation.noisy
    noisy = evaluate_checked([sp.Heaviside(LOGISTIC_ZERO, 0)], {x: sp.Integer(1)})  # about 1e-61 there
    assert noisy.noisy


def test_a_stand_in_that_is_a_rounded_zero_is_not_called_nonzero():
    """The handout's stand-in for tanh(1/3)^2 + sech(1/3)^2 - 1 (exactly 0) has a 60-digit value
    of about 1e-62: only its definition, recomputed at each precision, shows it is noise."""
    third = sp.Rational(1, 3)
    evaluator = Evaluator()
    (stand_in,) = evaluator.abstract_parameters({"b1": (sp.tanh(third) ** 2 + 1 / sp.cosh(third) ** 2 - 1,)})["b1"]
    assert evaluator.point[stand_in] != 0
    assert evaluator.zeroness(stand_in) == UNKNOWN
    assert evaluator.settle_kinks(sp.Heaviside(stand_in, 0)) == sp.Heaviside(stand_in, 0)
    assert evaluator.equal(stand_in, 0) is None
    (clear,) = evaluator.abstract_parameters({"b1": (sp.tanh(third) - third,)})["b1"]
    assert evaluator.zeroness(clear) == NONZERO


def test_symbols_are_sampled_in_their_domains():
    negative = sp.Symbol("n", negative=True)
    nonpositive_integer = sp.Symbol("k", integer=True, nonpositive=True)
    assert decide_equal(relu(negative), 0).status != REFUTED
    assert decide_equal(relu(nonpositive_integer), 0).status != REFUTED
    assert decide_equal(relu(sp.Symbol("m", nonpositive=True)), 0).status != REFUTED
    decision = decide_equal(relu(negative) + negative, negative * 2)
    assert decision.status == REFUTED and decision.point["n"] < 0
    integer, nonzero = sp.Symbol("i", integer=True), sp.Symbol("z", nonzero=True)
    assert decide_equal(sp.floor(integer), integer).status != REFUTED
    decision = decide_equal(sp.floor(integer * nonzero) * 0 + sp.Heaviside(nonzero ** 2, 0), 1)
    assert decision.status != REFUTED


def test_an_assumption_the_draws_cannot_honour_refutes_nothing():
    even = sp.Symbol("e", even=True)
    assert decide_equal(sp.cos(sp.pi * even / 2) ** 2, 1).status != REFUTED
    points = [Sampler(seed=seed).point_in_domains({even}) for seed in range(20)]
    assert all(point is None or point["e"] % 2 == 0 for point in points)


def test_normal_forms_that_run_too_long_are_undecided(monkeypatch):
    monkeypatch.setattr("symcheck.exact.decide.NORMAL_FORM_SECONDS", 1.0)
    decision = decide_equal(sp.tanh(1000 * x), 1 - 2 / (sp.exp(2000 * x) + 1))
    assert decision.status == UNDECIDED


def test_the_decider_never_parses_text():
    with pytest.raises(InvalidExpression):
        decide_equal("x+", 1)
    with pytest.raises(InvalidExpression):
        decide_all([("x", 1)], Sampler())


def test_a_witness_that_sympy_does_not_confirm_is_no_refutation(monkeypatch):
    """A wrong evaluator (tanh evaluated as sin) finds a 'witness' for a true identity; SymPy's
    own arithmetic at that point does not confirm it, so the decider does not refute."""
    monkeypatch.setitem(FUNCTIONS, "tanh", mpmath.sin)
    lhs, rhs = sp.tanh(x), (sp.exp(2 * x) - 1) / (sp.exp(2 * x) + 1)
    assert find_counterexample(lhs, rhs, Sampler()) is not None  # the evaluator is fooled
    assert decide_equal(lhs, rhs).status != REFUTED
    decisions = decide_all([(lhs, rhs), (x, x + 0 * y), (sp.tanh(y), y)], Sampler())
    assert [d.status for d in decisions] == [UNDECIDED, PROVED, REFUTED]
    # the same stages as decide_equal, whether or not a later pair is refuted
    assert decisions[0].method == decide_all([(lhs, rhs)], Sampler())[0].method == decide_equal(lhs, rhs).method
    assert decide_equal(lhs, rhs, at={x: sp.Rational(1, 2)}).status != REFUTED


def test_sympy_confirms_real_differences_and_not_rounded_zeros():
    half = sp.Rational(1, 2)
    assert confirmed_by_sympy(sp.tanh(x), x, {x: half})
    assert confirmed_by_sympy(f(x), x, {x: half})  # the uninterpreted activation as its stand-in
    assert not confirmed_by_sympy(LOGISTIC_ZERO, 0, {x: sp.Integer(1)})
    assert not confirmed_by_sympy(sp.log(y), 0, {y: -half})  # not a real number: confirms nothing
    assert confirmed_by_sympy(y, 0, {}, {y: sp.tanh(half) - half})  # a derived symbol, computed first
    assert not confirmed_by_sympy(y, 0, {}, {y: sp.tanh(half) ** 2 + sp.sech(half) ** 2 - 1})


def test_the_re_check_computes_only_the_taken_branch_value_and_exact_rationals_exactly():
    branchy = sp.Piecewise((sp.log(x), x > 0), (x ** 2, True))
    assert confirmed_by_sympy(branchy, x ** 2 + 1, {x: sp.Integer(-2)})  # 4 vs 5: log(-2) not taken
    assert not confirmed_by_sympy(branchy, x ** 2, {x: sp.Integer(-2)})
    big = sp.Integer(10) ** 40
    # exact at every node: no magnitude of 10^80 swamps the difference 1/9 - 1/9
    assert not confirmed_by_sympy((big + x) ** 2 - big ** 2 - 2 * big * x, x ** 2, {x: sp.Rational(1, 3)})
    # relative to the 10^80 met on the way, a difference of 10^55 is real (the policy's 1e-30)
    assert confirmed_by_sympy((big + x) ** 2 - big ** 2 - 2 * big * x, x ** 2 + sp.Integer(10) ** 55,
                              {x: sp.Rational(1, 3)})


def test_the_re_check_never_reads_a_jump_off_a_rounded_zero():
    """An exact 0 built from irrational parts evaluates to about 1e-80: a jump, a comparison,
    a fractional power or a log of it is decided by rounding, so it confirms nothing."""
    w, v = sp.symbols("w0:3", real=True), sp.symbols("v0:3", real=True)
    z = sum(wi * vi for wi, vi in zip(w, v))  # each product evaluated on its own, then the sum
    for a, b in ((6, 2), (3, 7), (5, 5)):
        point = {w[0]: sp.sqrt(2) / a, w[1]: sp.sqrt(2) / b, w[2]: -sp.sqrt(2) * (sp.Rational(1, a) + sp.Rational(1, b)),
                 **{vi: sp.Integer(1) for vi in v}}
        assert z.xreplace(point) == 0
        for jump, value in ((sp.Heaviside(z, 0), 0), (sp.sign(z), 0), (sp.Piecewise((1, z > 0), (0, True)), 0),
                            (sp.Piecewise((1, z > 0), (sp.Rational(1, 100), True)), sp.Rational(1, 100)),
                            (z ** sp.Rational(1, 4), 0)):
            assert not confirmed_by_sympy(jump, value, point), (jump, a, b)
    logs = sp.log(55 * x) - sp.log(5) - sp.log(11 * x)  # 0 for x > 0, never simplified by SymPy
    assert not confirmed_by_sympy(sp.Heaviside(logs, 0), 0, {x: sp.Rational(5, 3)})
    # a jump on a clear side still confirms, and an exact 0 follows the convention Heaviside(0) = 0
    assert confirmed_by_sympy(sp.Heaviside(z + 1, 0), 0, point)
    assert confirmed_by_sympy(sp.Heaviside(x, 0), 1, {x: sp.Integer(0)})
    # jumps at integers: floor, frac, Mod of a rounded integer decide nothing; a clear one does
    for rounded in (z, -z):  # rounded up or down, whichever the evaluation gives
        for jump in (sp.floor(rounded), sp.frac(rounded), sp.Mod(rounded, 1, evaluate=False)):
            assert not confirmed_by_sympy(jump, 0, point), jump
    assert confirmed_by_sympy(sp.floor(z + sp.Rational(1, 2)), 1, point)


def test_a_derived_symbol_that_is_a_rounded_zero_stays_one():
    """A shared subexpression passed as a derived symbol carries the magnitudes that computed it:
    sqrt(2) sqrt(8) - 4 evaluates to about 1e-80, and Heaviside of it decides nothing."""
    a, b, t = sp.Symbol("a", positive=True), sp.Symbol("b", positive=True), sp.Symbol("t", real=True)
    point = {a: sp.Integer(2), b: sp.Integer(8)}
    assert not confirmed_by_sympy(sp.Heaviside(t, 0), 0, point, {t: sp.sqrt(a) * sp.sqrt(b) - 4})
    assert confirmed_by_sympy(sp.Heaviside(t, 0), 0, point, {t: sp.sqrt(a) * sp.sqrt(b) - 3})


def test_the_re_check_of_an_untaken_branch_that_sympy_cannot_compute_is_no_crash():
    nested = sp.Piecewise((sp.Piecewise((1, 1 / x > 0), (2, True)), x > 0), (3, True))
    assert confirmed_by_sympy(nested, 4, {x: sp.Integer(0)})  # 1/0 compared in the branch not taken
    assert not confirmed_by_sympy(nested, 3, {x: sp.Integer(0)})
    capped = sp.Piecewise((sp.Max(sp.sqrt(x), 1), x > 0), (3, True))
    assert confirmed_by_sympy(capped, 4, {x: sp.Integer(-2)})  # Max of an imaginary number, not taken
    boolean = sp.Piecewise((1, sp.Eq(sp.true, x > 0, evaluate=False)), (0, True))
    assert not confirmed_by_sympy(boolean, 5, {x: sp.Integer(1)})  # a relation of booleans: no crash
    assert not confirmed_by_sympy(gelu(x), 1, {x: -sp.Integer(10) ** 400})  # beyond mpmath's erfc: no crash


def test_the_re_check_walks_a_shared_deep_expression_without_recursion():
    """Children before parents on an explicit stack, each distinct node once: a nesting three
    times deeper than Python's default recursion limit, shared at every level."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        deep = x
        for _ in range(3000):
            deep = sigmoid(deep) * deep - sp.Rational(1, 7)  # ``deep`` twice: a DAG, not a tree
        rounded_zero = sigmoid(x) + sigmoid(-x) - 1  # exactly 0, about 1e-80 once evaluated
        assert not confirmed_by_sympy(deep, deep + rounded_zero, {x: sp.Rational(1, 2)})
        assert confirmed_by_sympy(deep, deep + sp.Rational(1, 10), {x: sp.Rational(1, 2)})
    finally:
        sys.setrecursionlimit(limit)


def test_a_sub_deadline_ends_its_call_and_leaves_the_command_budget_in_force():
    with budget.limit(1000):
        assert budget.attempt(0.2, lambda: time.sleep(30)) == (False, None)
        assert budget.remaining() > 900
        assert budget.attempt(5, lambda: 7) == (True, 7)
    with pytest.raises(budget.BudgetExceeded):
        with budget.limit(0.2):  # the command's deadline is the nearer one: it is not swallowed
            budget.attempt(100, lambda: time.sleep(30))
