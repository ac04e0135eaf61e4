"""An independent re-computation of backprop in plain Python numbers.

Counterexamples found by the SymPy engine are replayed here: same network,
same point, but forward and backward passes written again over Python lists,
in one of three number domains:

- ``fraction``: exact rationals (``fractions.Fraction``); used when every
  operation of the network and optimizer is rational (identity / ReLU /
  leaky ReLU activations, mse loss, no square roots);
- ``mpmath``: 60-digit arithmetic for everything else (tanh, sigmoid, exp, sqrt);
- ``float``: Python floats, for quick numeric training.

Nothing here imports the SymPy engine: the activation and loss formulas are
written out again so that a mistake in either copy shows up as a disagreement.
A custom activation is evaluated from its checked syntax tree (plain tuples,
``safe_expr.plain_tree``), its derivative by forward-mode differentiation of
that tree: SymPy's ``diff`` of the same text is the other copy.

A value that is not a finite real number (log of a negative, a division by 0,
exp of a huge number) raises ``NotReal``, an ArithmeticError: a replay that
cannot be carried out confirms nothing. Whether two replayed values differ is
decided in one place, ``values_differ`` (exact for fractions, relative at 60 digits).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

import mpmath

from ..errors import NotReal
from ..model.activation_forms import ACTIVATION_FORMS, GENERIC_STAND_IN, LEAKY_SLOPE
from ..model.optimizers import gradient_step
from ..model.spec import MLP

RATIONAL_ACTIVATIONS = ("identity", "relu", "leaky_relu")
RATIONAL_LOSSES = ("mse",)
DIGITS = 60
#: exp (and sinh, cosh) of a larger argument is refused: up to here mpmath takes well under a
#: millisecond, while a tower such as exp(exp(exp(exp(x)))) would need more memory than there is.
MAX_EXP_ARGUMENT = 10 ** 100


@dataclass(frozen=True)
class Domain:
    name: str
    number: object  # Fraction -> domain number
    sqrt: object
    exp: object
    log: object
    tanh: object
    erfc: object  # the normal CDF from erfc: 1 + erf cancels to nothing in the left tail
    log1p: object  # softplus = log1p(exp z), elu = expm1(z): 1 + tiny and e^z - 1 cancel
    expm1: object
    pi: object
    #: the module with the elementary functions custom activations may call (None: rationals only)
    library: object = None

    def describe(self) -> str:
        return {
            "fraction": "exact rational arithmetic (Python fractions)",
            "mpmath": f"{DIGITS}-digit arithmetic (mpmath), an independent backprop in plain Python",
            "float": "Python float arithmetic",
        }[self.name]


def _mp(value):
    if isinstance(value, Fraction):
        return mpmath.mpf(value.numerator) / value.denominator
    return mpmath.mpf(value)


def _fraction_only(name):
    def fail(*_):
        raise ArithmeticError(f"{name} is not rational; use the mpmath domain")
    return fail


FRACTION = Domain("fraction", Fraction, _fraction_only("sqrt"), _fraction_only("exp"),
                  _fraction_only("log"), _fraction_only("tanh"), _fraction_only("erfc"), _fraction_only("log1p"),
                  _fraction_only("expm1"), None)


def bounded_exp(a, function=mpmath.exp):
    """exp (or sinh, cosh) in mpmath, refusing arguments beyond MAX_EXP_ARGUMENT."""
    if abs(a) > MAX_EXP_ARGUMENT:
        raise NotReal(f"{function.__name__} of {mpmath.nstr(a, 5)}: too large")
    return function(a)


MPMATH = Domain("mpmath", _mp, mpmath.sqrt, bounded_exp, mpmath.log, mpmath.tanh, mpmath.erfc, mpmath.log1p,
                mpmath.expm1, mpmath.pi, mpmath)
FLOAT = Domain("float", float, math.sqrt, math.exp, math.log, math.tanh, math.erfc, math.log1p, math.expm1,
               math.pi, math)


def domain_for(spec: MLP, needs_sqrt: bool) -> Domain:
    """Exact rationals when every operation stays rational, else 60-digit mpmath."""
    if spec.activation in RATIONAL_ACTIVATIONS and spec.loss in RATIONAL_LOSSES and not needs_sqrt:
        return FRACTION
    return MPMATH


def _activation(name: str, d: Domain):
    one = d.number(Fraction(1))
    if name == "f":  # the generic f has no values: it is replayed as its numeric stand-in
        name = GENERIC_STAND_IN
    if name == "identity":
        return (lambda z: z), (lambda z: one)
    if name == "relu":
        return (lambda z: z if z > 0 else z * 0), (lambda z: one if z > 0 else one * 0)
    if name == "leaky_relu":
        slope = d.number(LEAKY_SLOPE)
        return (lambda z: z if z > 0 else slope * z), (lambda z: one if z > 0 else slope)
    if name == "sigmoid":
        s = lambda z: one / (one + d.exp(-z))  # noqa: E731
        return s, (lambda z: s(z) * (one - s(z)))
    if name == "tanh":
        return d.tanh, (lambda z: one - d.tanh(z) ** 2)
    if name == "softplus":
        return (lambda z: d.log1p(d.exp(z))), (lambda z: one / (one + d.exp(-z)))
    if name == "elu":
        return (lambda z: z if z > 0 else d.expm1(z)), (lambda z: one if z > 0 else d.exp(z))
    if name == "gelu":
        phi = lambda z: d.erfc(-z / d.sqrt(2 * one)) / 2  # noqa: E731
        return (lambda z: z * phi(z)), (lambda z: phi(z) + z * d.exp(-z * z / 2) / d.sqrt(2 * d.pi))
    tree = getattr(ACTIVATION_FORMS.get(name), "tree", None)
    if tree is not None:
        return _custom(tree, d)
    raise ValueError(f"no replay for activation {name!r}")  # pragma: no cover


def _custom(tree: tuple, d: Domain):
    """sigma and sigma' of a custom activation from its plain syntax tree."""
    if d.library is None:
        raise NotReal("a custom activation is replayed in mpmath or float arithmetic, not in rationals")
    return (lambda z: _dual(tree, z, None, d)[0]), (lambda z: _dual(tree, z, z * 0 + 1, d)[1])


def _dual(node: tuple, z, dz, d: Domain):
    """(value, derivative) of ``node`` at x = z by forward-mode differentiation (dz = dx/dx = 1);
    with dz None only the value is computed (sqrt(x) has a value at 0, not a derivative)."""
    kind, lib = node[0], d.library
    if kind == "x":
        return z, dz
    if kind in ("number", "constant"):
        value = d.number(node[1]) if kind == "number" else {"pi": lib.pi, "e": lib.e}[node[1]]
        return value + z * 0, None if dz is None else dz * 0
    if kind == "neg":
        a, da = _dual(node[1], z, dz, d)
        return -a, None if da is None else -da
    if kind == "call":
        return _call(node[1], *_dual(node[2], z, dz, d), d)
    a, da = _dual(node[1], z, dz, d)
    if kind == "**":
        n = node[2]
        if n < 0 and a == 0:
            raise NotReal("0 to a negative power")
        return a ** n, None if da is None else (n * a ** (n - 1) * da if n else da * 0)
    b, db = _dual(node[2], z, dz, d)
    if kind == "/" and b == 0:
        raise NotReal("division by zero")
    value = {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b}[kind]()
    if da is None:
        return value, None
    derivative = {"+": lambda: da + db, "-": lambda: da - db, "*": lambda: da * b + a * db,
                  "/": lambda: (da * b - a * db) / (b * b)}[kind]()
    return value, derivative


def _call(name: str, a, da, d: Domain):
    """(f(a), f'(a) da) for a function a custom activation may call."""
    lib = d.library
    if name in ("exp", "sinh", "cosh") and abs(a) > MAX_EXP_ARGUMENT:
        raise NotReal(f"{name} of {mpmath.nstr(a, 5)}: too large")
    if (name == "log" and a <= 0) or (name == "sqrt" and a < 0):
        raise NotReal(f"{name} of the negative number {a}" if a < 0 else f"log of {a}")
    if name in ACTIVATION_FORMS and name != "f":
        sigma, sigma_prime = _activation(name, d)
        return sigma(a), None if da is None else sigma_prime(a) * da
    value = {"abs": abs, "sqrt": lib.sqrt, "exp": d.exp, "log": lib.log, "sin": lib.sin, "cos": lib.cos,
             "tan": lib.tan, "atan": lib.atan, "sinh": lib.sinh, "cosh": lib.cosh, "tanh": lib.tanh,
             "erf": lib.erf}[name](a)
    if da is None:
        return value, None
    one = a * 0 + 1
    if name == "sqrt" and value == 0:
        raise NotReal("sqrt is not differentiable at 0")
    slope = {
        "abs": lambda: one * (a > 0) - one * (a < 0),  # sign(a); 0 at 0, as SymPy's diff gives sign(x)
        "sqrt": lambda: one / (2 * value), "exp": lambda: value, "log": lambda: one / a,
        "sin": lambda: lib.cos(a), "cos": lambda: -lib.sin(a), "tan": lambda: one + value ** 2,
        "atan": lambda: one / (one + a * a), "sinh": lambda: lib.cosh(a), "cosh": lambda: lib.sinh(a),
        "tanh": lambda: one - value ** 2, "erf": lambda: 2 * lib.exp(-a * a) / lib.sqrt(lib.pi),
    }[name]()
    return value, slope * da


def _loss_gradient(name: str, d: Domain, o, y):
    one = d.number(Fraction(1))
    if name == "mse":
        return [ok - yk for ok, yk in zip(o, y)]
    if name == "bce":
        return [one / (one + d.exp(-ok)) - yk for ok, yk in zip(o, y)]
    top = max(o)
    weights = [d.exp(ok - top) for ok in o]
    total, target = sum(weights), sum(y)
    return [w / total * target - yk for w, yk in zip(weights, y)]


def _hidden(spec: MLP, params: dict, x, d: Domain) -> tuple[list, list]:
    """(h_0 = x, h_1, ..., h_K), (z_1, ..., z_K) on lists of domain numbers."""
    sigma, _ = _activation(spec.activation, d)
    hs, zs = [list(x)], []
    for i in range(1, spec.depth + 1):
        W, b = params[f"W{i}"], params[f"b{i}"]
        z = [sum((w * h for w, h in zip(row, hs[-1])), start=b_r * 0) + b_r for row, b_r in zip(W, b)]
        zs.append(z)
        hs.append([sigma(v) for v in z])
    return hs, zs


#: Two replayed mpmath values differ only when their difference exceeds this times the larger of 1
#: and their magnitudes. The replay carries DIGITS = 60 digits from rational points of order 1
#: (``exact.sampling`` draws them), so its rounding stays near 1e-60 of the larger of 1 and the values;
#: 20 digits of room absorb its growth through a deep network. Every witness the decider reports
#: differs by more than 1e-30 of every magnitude its evaluation met (``exact.decide.RELATIVE``), far
#: above this, so a true difference is confirmed; a rounding difference of large values is not.
DIFFERENCE_THRESHOLD = mpmath.mpf(10) ** -40


def values_differ(a, b, d: Domain) -> bool:
    """Do two values computed by a replay in domain ``d`` differ? Exactly (``!=``) for fractions;
    in mpmath, by more than ``DIFFERENCE_THRESHOLD`` relative to the larger of 1 and |a|, |b|
    (a value near 0 is judged against 1: the terms it came from are of order 1). NaN or inf
    never differ: a replay that met them confirms nothing. Float replays are not compared
    here: their rounding (1e-16) is a tolerance of ``oracle.tolerances``, not an exact verdict."""
    if d.name == "fraction":
        return a != b
    if d.name != "mpmath":
        raise ValueError(f"values of the {d.name} domain are compared with a tolerance, not exactly")
    if not (mpmath.isfinite(a) and mpmath.isfinite(b)):
        return False
    return abs(a - b) > DIFFERENCE_THRESHOLD * max(1, abs(a), abs(b))


def live_witnesses(spec: MLP, values: dict, seed: int = 0, tries: int = 24) -> dict | None:
    """(layer, unit) -> (input x, output h) with h != 0, for the hidden units of the initial
    ``values`` that some input makes nonzero: such a unit is not dead. Inputs: +-t e_j for
    t in 1, 10, 1000, then random rationals; h != 0 by ``values_differ`` (exact for rational
    activations, else 60-digit mpmath). None when a value is not a number (a symbolic constant)."""
    d = domain_for(spec, needs_sqrt=False)
    try:
        with mpmath.workdps(DIGITS):
            params = {name: _numbers(values[name], d) for name in spec.parameter_names}
    except (TypeError, ValueError, AttributeError):
        return None
    n = spec.input_width
    inputs = [[Fraction(t if j == k else 0) for k in range(n)] for j in range(n) for t in (1, -1, 10, -10, 1000, -1000)]
    rng = random.Random(seed)
    inputs += [[Fraction(rng.randint(-1000, 1000), 1000) for _ in range(n)] for _ in range(tries)]
    found: dict = {}
    zero = d.number(Fraction(0))
    units = sum(spec.hidden_widths)
    with mpmath.workdps(DIGITS):
        for x in inputs:
            hs, _ = _hidden(spec, params, [d.number(v) for v in x], d)
            for i in range(1, spec.depth + 1):
                for u, h in enumerate(hs[i]):
                    if (i, u) not in found and values_differ(h, zero, d):
                        found[(i, u)] = (tuple(x), h)
            if len(found) == units:
                break
    return found


def _numbers(value, d: Domain):
    if hasattr(value, "tolist"):  # a NumPy array of float64 values: their exact binary values
        value = value.tolist()
    if isinstance(value, (tuple, list)):
        return [_numbers(v, d) for v in value]
    if isinstance(value, float):
        return d.number(Fraction(value))
    if isinstance(value, (int, Fraction)):
        return d.number(Fraction(value))
    return d.number(Fraction(int(value.p), int(value.q)))  # a SymPy rational (a symbol has no .p)


def gradients(spec: MLP, params: dict, x, y, d: Domain) -> dict:
    """dL/dtheta for one example by the layer recursion, on lists of domain numbers."""
    _, sigma_prime = _activation(spec.activation, d)
    hs, zs = _hidden(spec, params, x, d)
    last = spec.depth + 1
    W, b = params[f"W{last}"], params[f"b{last}"]
    o = [sum((w * h for w, h in zip(row, hs[-1])), start=b_r * 0) + b_r for row, b_r in zip(W, b)]
    delta = _loss_gradient(spec.loss, d, o, y)
    grads = {}
    for layer in range(last, 0, -1):
        grads[f"W{layer}"] = tuple(tuple(dq * h for h in hs[layer - 1]) for dq in delta)
        grads[f"b{layer}"] = tuple(delta)
        if layer > 1:
            W = params[f"W{layer}"]
            back = [sum(W[q][c] * delta[q] for q in range(len(delta))) for c in range(len(W[0]))]
            delta = [back[c] * sigma_prime(zs[layer - 2][c]) for c in range(len(back))]
    return {name: grads[name] for name in spec.parameter_names}


def convert(structure, values: dict, d: Domain):
    """Nested tuples of SymPy leaves (symbols or rational numbers) -> domain numbers.

    ``values`` maps symbol names to Fractions."""
    if isinstance(structure, tuple):
        return tuple(convert(item, values, d) for item in structure)
    if isinstance(structure, dict):
        return {key: convert(item, values, d) for key, item in structure.items()}
    if getattr(structure, "is_Symbol", False):
        return d.number(values[structure.name])
    return d.number(Fraction(int(structure.p), int(structure.q)))


def replay_steps(spec: MLP, values: dict, filled: dict, steps: int, d: Domain):
    """Plain-Python gradient descent at a witness point, for ``steps`` steps.

    Step t uses its own example (x^t, y^t), read from ``filled`` like every
    other symbol (missing entries are 0; eta defaults to 1). Returns the
    parameters after the last step and the gradients that step took."""
    params = convert(values, filled, d)
    eta = d.number(filled.get("eta", Fraction(1)))
    grads = None
    for t in range(1, steps + 1):
        # the names backprop.data_symbols gives example t; a mismatch could only
        # make a replay disagree (withholding a verdict), never confirm a wrong one
        xs = [d.number(filled.get(f"x^{t}_{j}", Fraction(0))) for j in range(spec.input_width)]
        ys = [d.number(filled.get(f"y^{t}_{k}", Fraction(0))) for k in range(spec.output_width)]
        grads = gradients(spec, params, xs, ys, d)
        params = gradient_step(params, grads, eta)
    return params, grads
