"""Why the scaled initializations scale the way they do, derived with SymPy.

Each derivation is a value: a sequence of steps, each a SymPy equation with a
one-line justification, so that the same objects can be rendered as text here
and as LaTeX by a printer later. Every step that claims a computation *is*
that computation (an integral, an expectation of a polynomial in independent
random variables, a ``solve``); the derivation checks its own final claim and
raises ``DerivationError`` if SymPy does not arrive at it.

Setting (DESIGN.md §1): z_i = W_i h_{i-1} (biases 0 at initialization), entries
of W_i i.i.d. with mean 0 and independent of h_{i-1}; n_{i-1} = fan_in and
n_i = fan_out of W_i.

The catalogue in ``symcheck.initialization.initializers`` takes its scaling factors from
``derived_rules()``: LeCun's 1/fan_in, He's 2/fan_in, Xavier's
2/(fan_in + fan_out), the uniform bound sqrt(3 Var) and the truncated-normal
correction 0.8796... all come out of the derivations below.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp
from sympy.stats import E as expectation, Normal, variance as var

from ..errors import DerivationError
from ..display import LatexDisplay
from ..exact.decide import decide_equal
from ..exact.verdict import PROVED
from ..model.sentence import Equals, LayerQuantity, Product, Relation, Sentence, Transposed, said

#: Digits to which the truncated-normal constant is evaluated.
TRUNCATION_DIGITS = 30
#: The literal Keras divides by in VarianceScaling(distribution="truncated_normal").
KERAS_TRUNCATION_LITERAL = "0.87962566103423978"


# --- the objects -------------------------------------------------------------------------


@dataclass(frozen=True)
class DerivationStep:
    """One line of a derivation: an equation and why it holds."""

    equation: sp.Equality
    reason: Sentence


@dataclass(frozen=True)
class VarianceDerivation(LatexDisplay):
    name: str
    title: Sentence
    assumptions: tuple[Sentence, ...]
    steps: tuple[DerivationStep, ...]

    @property
    def result(self) -> sp.Equality:
        return self.steps[-1].equation


def eq(lhs, rhs) -> sp.Equality:
    """An unevaluated equation: ``sp.Eq(x, x)`` would collapse to ``True``."""
    return sp.Eq(sp.sympify(lhs), sp.sympify(rhs), evaluate=False)


def _confirm(claim: str, value, expected) -> None:
    if decide_equal(value, expected).status != PROVED:
        raise DerivationError(f"{claim}: SymPy obtained {value}, expected {expected}")


# --- notation ----------------------------------------------------------------------------

Var = sp.Function("Var")
E = sp.Function("E")
fan_in, fan_out = sp.symbols("fan_in fan_out", positive=True)
z_i, z_prev, h_prev, W_i = sp.symbols("z_i z_{i-1} h_{i-1} W_i", real=True)
g_prev, g_i, delta_i = sp.symbols("g_{i-1} g_i delta_i", real=True)  # g = dL/dh, delta = dL/dz
kappa = sp.Symbol("kappa", positive=True)
VARIANCE = sp.Symbol("Var")  # the operator itself, in "Var = E[x^2] - E[x]^2"
x_any = sp.Symbol("x", real=True)  # E[phi(z)^2] = kappa * Var(z)
slope = sp.Symbol("a", nonnegative=True)  # leaky-ReLU negative slope
z = sp.Symbol("z", real=True)
u = sp.Symbol("u", positive=True)
density = sp.Function("p")
NORMAL = sp.Function("N")  # the normal law N(mean, variance), as a name in the statements
sigma_prime = sp.Function("sigma'")
LOSS = sp.Symbol("L", real=True)
kappa_relu = sp.Symbol("kappa_relu", positive=True)


def side_by_side(*factors) -> sp.Expr:
    """A product kept in the order written (SymPy would sort its factors)."""
    return sp.Mul(*factors, evaluate=False)


def loss_derivative(variable) -> sp.Derivative:
    """dL/d(variable): the loss is a symbol, so the derivative stays unevaluated."""
    return sp.Derivative(LOSS, variable)


def kappa_is(value) -> Equals:
    return Equals(kappa, value)


# --- the moment algebra behind both recursions -------------------------------------------


def _expect(expr, weights, mean_w, second_w, signal_moment):
    """E[expr] for a polynomial in independent weights and a signal block.

    ``weights`` are mutually independent and independent of the signal symbols;
    each has mean ``mean_w`` and second moment ``second_w``. A product of signal
    entries is left as ``signal_moment(product)`` -- the signals may be
    correlated with each other, which is why they are never split.
    """
    total = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(expr)):
        coefficient, factors = term.as_coeff_mul()
        value, signal = coefficient, sp.S.One
        for factor in factors:
            base, power = factor.as_base_exp()
            if base in weights:
                value *= {1: mean_w, 2: second_w}[int(power)]
            else:
                signal *= factor
        total += value * (signal_moment(signal) if signal != 1 else 1)
    return total


def _linear_map_variance(n, weight_var, signal_square, out, weight, signal, direction, layers, transposed=False):
    """Var(sum_{j=1}^{n} w_j s_j) for i.i.d. zero-mean w independent of s.

    ``layers``: the layer indices of the weight and the signal ("i", "i-1"): the printed entries
    are W_i[r, j] and h_{i-1}[j] (row r of the layer's weight; column c, W_i[j, c], when
    ``transposed``: the backward pass sums W_i^T delta_i), never W_j, which reads as layer j.

    The sum has n diagonal terms E[w_j^2 s_j^2] and n(n-1) cross terms
    E[w_j w_k s_j s_k]; two representative entries suffice because the w_j are
    identically distributed and n stays a symbol.
    """
    w1, w2, s1, s2 = sp.symbols(f"{weight}_1 {weight}_2 {signal}_1 {signal}_2", real=True)
    w_any, s_any = sp.Symbol(weight, real=True), sp.Symbol(signal, real=True)
    mean_w = sp.S.Zero
    moment = lambda product: signal_square if product == s1**2 else E(product)  # noqa: E731
    diagonal = _expect((w1 * s1) ** 2, {w1, w2}, mean_w, weight_var, moment)
    cross = _expect(w1 * s1 * w2 * s2, {w1, w2}, mean_w, weight_var, moment)
    first = n * _expect(w1 * s1, {w1, w2}, mean_w, weight_var, moment)
    second = n * diagonal + n * (n - 1) * cross
    variance = sp.expand(second - first**2)
    j, k, fixed = sp.symbols("j k c" if transposed else "j k r", integer=True, positive=True)
    weight_layer, signal_layer = (f"_{layer}" if len(layer) == 1 else f"_{{{layer}}}" for layer in layers)
    w, s = sp.IndexedBase(weight + weight_layer), sp.IndexedBase(signal + signal_layer)
    steps = (
        DerivationStep(eq(sp.IndexedBase(out.name)[fixed], sp.Sum(w[(j, fixed) if transposed else (fixed, j)] * s[j], (j, 1, n))), direction),
        DerivationStep(eq(E(out), first),
             said(Equals(E(side_by_side(w_any, s_any)), side_by_side(E(w_any), E(s_any))),
                  " by independence, and ", Equals(E(w_any), 0))),
        DerivationStep(eq(E(out**2), second),
             said(n, " diagonal terms ", side_by_side(E(w_any**2), E(s_any**2)), "; the ",
                  side_by_side(n, sp.Add(n, -1, evaluate=False)), " cross terms contain ",
                  Equals(side_by_side(E(w[(j, fixed) if transposed else (fixed, j)]),
                                      E(w[(k, fixed) if transposed else (fixed, k)])), 0),
                  " for distinct ", j, ", ", k)),
        DerivationStep(eq(Var(out), variance),
             said(Equals(VARIANCE, sp.Add(E(x_any**2), -E(x_any)**2, evaluate=False)))),
    )
    return variance, steps


# --- the derivations ---------------------------------------------------------------------


@cache
def forward_recursion() -> VarianceDerivation:
    n = sp.Symbol("n_{i-1}", positive=True, integer=True)
    variance, steps = _linear_map_variance(
        n, Var(W_i), E(h_prev**2), z_i, "W", "h",
        said(Equals(z_i, side_by_side(W_i, h_prev)), ": each unit ", sp.Symbol("r"), " sums ", Equals(n, fan_in),
             " weighted inputs (bias 0 at init)"),
        ("i", "i-1"),
    )
    _confirm("forward recursion", variance, n * Var(W_i) * E(h_prev**2))
    return VarianceDerivation(
        "forward", said("Forward variance recursion"),
        (said("entries of ", W_i, " are i.i.d., mean 0, independent of ", h_prev),
         said(Equals(LayerQuantity("b", "i"), 0))),
        steps,
    )


@cache
def backward_recursion() -> VarianceDerivation:
    n = sp.Symbol("n_i", positive=True, integer=True)
    variance, steps = _linear_map_variance(
        n, Var(W_i), E(delta_i**2), g_prev, "W", "delta",
        said(Equals(loss_derivative(h_prev), Product((Transposed(W_i), delta_i))), " (eq. 3): each entry sums ",
             Equals(n, fan_out), " terms"),
        ("i", "i"), transposed=True,
    )
    _confirm("backward recursion", variance, n * Var(W_i) * E(delta_i**2))
    chain = DerivationStep(eq(E(delta_i**2), E(g_i**2) * E(sigma_prime(z_i) ** 2)),
                 said(Equals(delta_i, side_by_side(g_i, sigma_prime(z_i))), ", with ", g_i,
                      " assumed independent of ", z_i))
    g, h, delta = sp.symbols("g h delta", real=True)
    return VarianceDerivation(
        "backward", said("Backward variance recursion (", Equals(g, loss_derivative(h)), ", ",
                         Equals(delta, loss_derivative(z)), ")"),
        (said("entries of ", W_i, " are i.i.d., mean 0, independent of ", delta_i),),
        (*steps, chain),
    )


#: The assumption of both second-moment derivations.
SYMMETRIC_DENSITY = said(z, " has a density ", sp.Symbol("p"), " with ", Equals(density(-z), density(z)))


def _split_second_moment(negative_factor):
    """E[phi(z)^2] / Var(z) for phi(z) = z (z > 0), negative_factor * z (z < 0)."""
    positive = sp.Integral(z**2 * density(z), (z, 0, sp.oo))
    negative = sp.Integral(z**2 * density(z), (z, -sp.oo, 0))
    # z = -u maps (-oo, 0) onto (0, oo); then p(-u) = p(u) by symmetry; rename u -> z.
    mirrored = sp.Integral((z**2 * density(z)).subs(z, -u), (u, 0, sp.oo))
    symmetric = mirrored.xreplace({density(-u): density(u)}).xreplace({u: z})
    variance = positive + symmetric
    moment = positive + negative_factor**2 * symmetric
    ratio = sp.simplify(moment / variance)
    return positive, negative, mirrored, symmetric, variance, moment, ratio


@cache
def relu_second_moment() -> VarianceDerivation:
    positive, negative, mirrored, symmetric, variance, moment, ratio = _split_second_moment(0)
    _confirm("E[relu(z)^2]", ratio, sp.Rational(1, 2))
    relu_z = sp.Function("relu")(z)
    steps = (
        DerivationStep(eq(Var(z), positive + negative),
                       said(Equals(E(z), 0), " for a symmetric density; split the integral at 0")),
        DerivationStep(eq(negative, mirrored), said("substitute ", Equals(z, -u))),
        DerivationStep(eq(mirrored, symmetric),
                       said(Equals(density(-u), density(u)), " (symmetric density); rename ", u, " to ", z)),
        DerivationStep(eq(Var(z), variance), said("both halves are the same integral")),
        DerivationStep(eq(E(relu_z**2), moment),
                       said(Equals(relu_z, 0), " for ", Relation(z, "<", 0), ", = ", z, " for ", Relation(z, ">", 0))),
        DerivationStep(eq(E(relu_z**2) / Var(z), ratio), said("divide")),
        DerivationStep(eq(E(relu_z**2), ratio * Var(z)), said("hence ", Equals(kappa_relu, sp.Rational(1, 2)))),
    )
    return VarianceDerivation("relu", said("Second moment of ", relu_z, " for symmetric ", z),
                      (SYMMETRIC_DENSITY,), steps)


@cache
def leaky_relu_second_moment() -> VarianceDerivation:
    positive, negative, mirrored, symmetric, variance, moment, ratio = _split_second_moment(slope)
    _confirm("E[leaky_relu(z)^2]", ratio, (1 + slope**2) / 2)
    act = sp.Function("leaky_relu")(z)
    steps = (
        DerivationStep(eq(Var(z), variance), said("as for relu: split at 0, mirror the negative half")),
        DerivationStep(eq(E(act**2), moment),
                       said(Equals(act, side_by_side(slope, z)), " for ", Relation(z, "<", 0),
                            ": the mirrored half is scaled by ", slope**2)),
        DerivationStep(eq(E(act**2), ratio * Var(z)),
                       said("divide; ", Equals(slope, 0), " gives relu's ", sp.Rational(1, 2))),
    )
    return VarianceDerivation("leaky_relu", said("Second moment of ", act, " (slope ", slope, ") for symmetric ", z),
                      (SYMMETRIC_DENSITY,), steps)


def relu_normal_check() -> VarianceDerivation:
    """The relu result for one concrete symmetric law, computed by sympy.stats."""
    sigma = sp.Symbol("sigma", positive=True)
    Z = Normal("Z", 0, sigma)
    moment = expectation(sp.Piecewise((Z**2, Z > 0), (0, True)))
    _confirm("E[relu(Z)^2] for Z ~ N(0, sigma^2)", moment, var(Z) / 2)
    return VarianceDerivation(
        "relu_normal", said("Check: ", Relation(Z, "~", NORMAL(0, sigma**2))), (),
        (DerivationStep(eq(Var(Z), var(Z)), said("sympy.stats")),
         DerivationStep(eq(E(sp.Function("relu")(Z) ** 2), moment),
                        said("sympy.stats integrates ", Z**2, " over ", Relation(Z, ">", 0)))),
    )


@cache
def _tanh_square_series() -> sp.Expr:
    series = sp.series(sp.tanh(z) ** 2, z, 0, 4).removeO()
    _confirm("tanh(z)^2 near 0", series, z**2)
    return series


@cache
def tanh_linear_regime() -> VarianceDerivation:
    series = _tanh_square_series()
    derivative = sp.diff(sp.tanh(z), z).subs(z, 0)
    return VarianceDerivation(
        "tanh", said("tanh near 0 behaves like the identity"),
        (said("the pre-activations are small enough for the leading Taylor term"),),
        (DerivationStep(eq(sp.tanh(z) ** 2, series + sp.Order(z**4)), said("Taylor series at 0")),
         DerivationStep(eq(E(sp.tanh(z) ** 2), Var(z)),
                        said("take expectations of the leading term (", Equals(E(z), 0), "): ", kappa_is(1))),
         DerivationStep(eq(sp.Subs(sp.Derivative(sp.tanh(z), z), z, 0), derivative),
                        said("so ", Equals(sigma_prime(0) ** 2, 1), " backwards"))),
    )


def _kappa(activation: str) -> sp.Expr:
    """kappa in E[sigma(z)^2] = kappa Var(z), from the confirmed derivations.

    tanh: the coefficient of z^2 in the series of tanh(z)^2 (E[z^2] = Var(z) as E[z] = 0);
    relu, leaky_relu: their second moments divided by Var(z)."""
    if activation == "tanh":
        return _tanh_square_series().coeff(z, 2)
    moment = {"relu": relu_second_moment, "leaky_relu": leaky_relu_second_moment}[activation]().result.rhs
    return sp.simplify(moment / Var(z))


#: E[h^2] = kappa Var(z): the second moment of an activation's output in its input's variance.
SECOND_MOMENT = Equals(E(sp.Symbol("h", real=True) ** 2), side_by_side(kappa, Var(z)))
#: The forward condition: a layer keeps the variance of its pre-activations.
KEEP_VARIANCE = Equals(Var(z_i), Var(z_prev))
#: Var(W), the variance of one weight (the quantity each rule fixes).
WEIGHT_VARIANCE = Var(sp.Symbol("W", real=True))


def _condition(fan, kappa) -> sp.Expr:
    """Solve fan Var(W) kappa = 1 for Var(W): the variance a layer keeps (forward: fan_in and
    E[h^2] = kappa Var(z); backward: fan_out and kappa = sigma'(z)^2)."""
    v = sp.Symbol("v", positive=True)
    solution = sp.solve(sp.Eq(fan * v * kappa, 1), v)
    if len(solution) != 1:
        raise DerivationError(f"condition {fan} Var(W) {kappa} = 1: solutions {solution}")
    return solution[0]


@cache
def lecun_rule() -> VarianceDerivation:
    kappa_tanh = _kappa("tanh")
    variance = _condition(fan_in, kappa_tanh)
    _confirm("LeCun variance", variance, 1 / fan_in)
    return VarianceDerivation(
        "lecun", said("LeCun: keep ", Var(z), " through a layer in the linear regime"),
        (said("forward recursion"), said(SECOND_MOMENT, " with ", kappa_is(1), " (tanh near 0, identity)")),
        (DerivationStep(eq(Var(z_i), fan_in * Var(W_i) * kappa * Var(z_prev)),
                        said("forward recursion with ", SECOND_MOMENT)),
         DerivationStep(eq(fan_in * Var(W_i) * kappa_tanh, 1), said("require ", KEEP_VARIANCE, ", ", kappa_is(1))),
         DerivationStep(eq(Var(W_i), variance), said("solve"))),
    )


@cache
def he_rule() -> VarianceDerivation:
    k = _kappa("relu")
    variance = _condition(fan_in, k)
    _confirm("He variance", variance, 2 / fan_in)
    return VarianceDerivation(
        "he", said("He (Kaiming): keep ", Var(z), " through a ReLU layer"),
        (said("forward recursion"),
         said(Equals(E(sp.Function("relu")(z) ** 2), Var(z) / 2), " (derived above)")),
        (DerivationStep(eq(Var(z_i), fan_in * Var(W_i) * k * Var(z_prev)),
                        said("forward recursion with ", Equals(kappa_relu, sp.Rational(1, 2)))),
         DerivationStep(eq(fan_in * Var(W_i) * k, 1), said("require ", KEEP_VARIANCE)),
         DerivationStep(eq(Var(W_i), variance), said("solve: the factor 2 undoes the half that relu discards"))),
    )


@cache
def leaky_relu_gain() -> VarianceDerivation:
    k = _kappa("leaky_relu")
    variance = _condition(fan_in, k)
    gain = sp.sqrt(sp.simplify(variance * fan_in))
    _confirm("leaky-relu gain", gain, sp.sqrt(2 / (1 + slope**2)))
    gain_symbol = sp.Symbol("gain", positive=True)
    leaky_kappa = side_by_side(sp.Rational(1, 2), sp.Add(1, slope**2, evaluate=False))  # (1 + a^2)/2
    return VarianceDerivation(
        "leaky_relu_gain", said("Gain for leaky_relu (PyTorch calculate_gain)"),
        (said("forward recursion"),
         said(Equals(E(sp.Function("leaky_relu")(z) ** 2),
                      side_by_side(sp.Rational(1, 2), sp.Add(1, slope**2, evaluate=False), Var(z))),
              " (derived above)")),
        (DerivationStep(eq(Var(W_i), variance),
                        said("solve ", Equals(side_by_side(sp.Symbol("n"), WEIGHT_VARIANCE, kappa), 1), " with ",
                             kappa_is(leaky_kappa))),
         DerivationStep(eq(gain_symbol, gain), said("PyTorch writes ", Equals(WEIGHT_VARIANCE, gain_symbol**2 / fan_in)))),
    )


@cache
def xavier_rule() -> VarianceDerivation:
    forward = _condition(fan_in, _kappa("tanh"))
    backward = _condition(fan_out, 1)
    compromise = sp.simplify(1 / ((1 / forward + 1 / backward) / 2))
    _confirm("Xavier variance", compromise, 2 / (fan_in + fan_out))
    return VarianceDerivation(
        "xavier", said("Xavier (Glorot): compromise between the forward and backward conditions"),
        (said("forward and backward recursions"),
         said("linear regime: ", kappa_is(1), " and ", Equals(sigma_prime(z) ** 2, 1))),
        (DerivationStep(eq(Var(W_i), forward),
                        said("forward: ", Equals(side_by_side(fan_in, WEIGHT_VARIANCE), 1), " keeps ", Var(z))),
         DerivationStep(eq(Var(W_i), backward),
                        said("backward: ", Equals(side_by_side(fan_out, WEIGHT_VARIANCE), 1), " keeps ",
                             Var(loss_derivative(sp.Symbol("h", real=True))))),
         DerivationStep(eq(1 / Var(W_i), (1 / forward + 1 / backward) / 2),
              said("both hold only if ", Equals(fan_in, fan_out), "; average the two conditions on ",
                   1 / WEIGHT_VARIANCE)),
         DerivationStep(eq(Var(W_i), compromise), said("solve"))),
    )


@cache
def uniform_bound() -> VarianceDerivation:
    a, v, x = sp.Symbol("a", positive=True), sp.Symbol("v", positive=True), sp.Symbol("x", real=True)
    variance = sp.integrate(x**2 / (2 * a), (x, -a, a))
    (bound,) = sp.solve(sp.Eq(variance, v), a)
    _confirm("uniform bound", bound, sp.sqrt(3 * v))
    U = sp.Symbol("U(-a, a)")
    return VarianceDerivation(
        "uniform", said("Bound of a uniform law with a given variance"),
        (said(sp.Function("U")(-a, a), " has density ", 1 / (2 * a), " on ", sp.Interval(-a, a), " and mean 0"),),
        (DerivationStep(eq(Var(U), sp.Integral(x**2 / (2 * a), (x, -a, a))), said("definition")),
         DerivationStep(eq(Var(U), variance), said("integrate")),
         DerivationStep(eq(a, bound), said("solve ", Equals(a**2 / 3, v), " for ", Relation(a, ">", 0)))),
    )


@cache
def truncated_normal_std() -> VarianceDerivation:
    """Standard deviation of N(0, 1) conditioned on |x| <= c, then c = 2."""
    x, c = sp.Symbol("x", real=True), sp.Symbol("c", positive=True)
    phi = sp.exp(-x**2 / 2) / sp.sqrt(2 * sp.pi)
    mass = sp.integrate(phi, (x, -c, c))
    second = sp.integrate(x**2 * phi, (x, -c, c))
    variance = sp.simplify(second / mass)
    std = sp.sqrt(variance.subs(c, 2))
    value = sp.N(std, TRUNCATION_DIGITS)
    tau = sp.Symbol("tau_c")
    X = sp.Symbol("X", real=True)
    return VarianceDerivation(
        "truncated_normal", said("Standard deviation of ", NORMAL(0, 1), " truncated to ", sp.Interval(-2, 2)),
        (said(Relation(X, "~", NORMAL(0, 1)), " conditioned on ", Relation(-c, "<=", Relation(X, "<=", c)),
              " (values outside are redrawn)"),),
        (DerivationStep(eq(sp.Symbol("P(|X| <= c)"), mass), said("integrate the density")),
         DerivationStep(eq(sp.Symbol("E[X^2 | |X| <= c]"), sp.simplify(second) / mass),
              said("integrate ", x**2, " against the density, divide by the mass")),
         DerivationStep(eq(tau**2, variance), said("simplify; the mean is 0 by symmetry")),
         DerivationStep(eq(sp.Symbol("tau_2"), std), said(Equals(c, 2), ", the cut Keras and TensorFlow use")),
         DerivationStep(eq(sp.Symbol("tau_2"), value), said(f"evaluated to {TRUNCATION_DIGITS} digits")),
         DerivationStep(eq(sp.Symbol("stddev"), sp.Symbol("target_std") / sp.Symbol("tau_2")),
              said("so a normal law cut at 2 of its own standard deviations must start from ",
                   sp.Symbol("target") / sp.Symbol("tau_2"), " to end at the target (Keras VarianceScaling)"))),
    )


def truncation_std_exact() -> sp.Expr:
    """tau_2, the exact standard deviation of N(0, 1) truncated to [-2, 2]."""
    return truncated_normal_std().steps[3].equation.rhs


def keras_literal_agreement() -> tuple[int, bool]:
    """(matching significant digits, same float64) of tau_2 and Keras's hard-coded literal."""
    exact = sp.N(truncation_std_exact(), TRUNCATION_DIGITS)
    exact_digits = sp.sstr(exact).split(".")[1]
    literal_digits = KERAS_TRUNCATION_LITERAL.split(".")[1]
    matching = 0
    for ours, theirs in zip(exact_digits, literal_digits):
        if ours != theirs:
            break
        matching += 1
    return matching, float(exact) == float(KERAS_TRUNCATION_LITERAL)


def truncation_variance_ratio(c):
    """tau_c^2 = Var(X | |X| <= c) for X ~ N(0, 1), as a SymPy expression in ``c``."""
    return truncated_normal_std().steps[2].equation.rhs.subs(sp.Symbol("c", positive=True), c)


# --- what the catalogue uses --------------------------------------------------------------


@dataclass(frozen=True)
class DerivedRules:
    """The numbers the catalogue is built from, each taken from a derivation.

    The truncated-normal constant is separate (``truncation_std_exact``): its
    integral is the slow one, and only truncated schemes need it.
    """

    lecun_scale: sp.Expr  # Var(W) * fan_in
    he_scale: sp.Expr  # Var(W) * fan_in
    xavier_scale: sp.Expr  # Var(W) * fan_avg, fan_avg = (fan_in + fan_out)/2
    uniform_factor: sp.Expr  # bound / std
    leaky_relu_gain: sp.Expr  # in the symbol ``slope``; relu's is its value at slope 0


@cache
def derived_rules() -> DerivedRules:
    xavier = xavier_rule().result.rhs
    v = sp.Symbol("v", positive=True)
    bound = uniform_bound().result.rhs
    he = he_rule().result.rhs
    return DerivedRules(
        lecun_scale=sp.simplify(lecun_rule().result.rhs * fan_in),
        he_scale=sp.simplify(he * fan_in),
        xavier_scale=sp.simplify(xavier * (fan_in + fan_out) / 2),
        uniform_factor=sp.simplify(bound / sp.sqrt(v)),
        leaky_relu_gain=leaky_relu_gain().result.rhs,
    )


def all_derivations() -> tuple[VarianceDerivation, ...]:
    """Every derivation, in reading order."""
    return (
        forward_recursion(), backward_recursion(), relu_second_moment(), relu_normal_check(),
        leaky_relu_second_moment(), tanh_linear_regime(), lecun_rule(), he_rule(),
        leaky_relu_gain(), xavier_rule(), uniform_bound(), truncated_normal_std(),
    )
