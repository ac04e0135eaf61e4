"""The backpropagation equations of one MLP, as SymPy objects.

Matrix form: for each layer the forward pass, equations (1)-(3) and the
update rule, with ``MatrixSymbol`` operands of the layer's true shape. Scalar
form (small networks): the same equations entry by entry, in terms of named
intermediates (z1_0, h1_0, delta2_0, ...), as a textbook writes them for a
2-2-1 network. Both forms are instantiated from the recursion that
``backprop.backprop`` runs, and ``derive`` verifies that recursion against an
independent route before returning (see ``DerivationCheck``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.matrices.expressions import HadamardProduct, MatAdd, MatrixExpr, MatrixSymbol, Transpose

from .. import budget
from ..oracle import numeric, tolerances
from ..model.activations import get_activation
from .backprop import backprop, data_symbols, diff_gradients, generic_parameters, hadamard, outer
from .backprop import transpose_matvec
from ..exact.evaluation import flatten
from .crosscheck import compare_gradients
from ..oracle.training import sample_example
from ..exact.decide import Decision, decide_equal
from ..exact.sampling import Sampler
from ..exact.verdict import PROVED, REFUTED
from ..model.losses import get_loss
from ..model.optimizer_symbols import LEARNING_RATE
from ..model.spec import MLP
from ..display import LatexDisplay

#: Networks with at most this many parameters also get the entry-by-entry form
#: and an exact route (a) = route (b) check.
SCALAR_FORM_MAX_PARAMETERS = 16
#: digits of the numbers the recursion is run at in the check of large networks
DIGITS = 60


class Activate(MatrixExpr):
    """sigma(z) or sigma'(z) applied entrywise: prints as ``tanh(z1)`` / ``tanh'(z1)``."""

    def __new__(cls, activation: str, argument, order: int = 0):
        return super().__new__(cls, sp.Symbol(activation), argument, sp.Integer(order))

    @property
    def activation(self) -> str:
        return self.args[0].name

    @property
    def argument(self):
        return self.args[1]

    @property
    def order(self) -> int:
        return int(self.args[2])

    @property
    def shape(self):
        return self.argument.shape

    def _sympystr(self, printer):
        mark = "'" * self.order
        return f"{self.activation}{mark}({printer._print(self.argument)})"


class OutputGradient(MatrixExpr):
    """dL/do in closed form for a named loss: o - y, sigmoid(o) - y, softmax(o) sum(y) - y."""

    def __new__(cls, loss: str, output, target):
        return super().__new__(cls, sp.Symbol(loss), output, target)

    @property
    def loss(self) -> str:
        return self.args[0].name

    @property
    def shape(self):
        return self.args[1].shape

    def _sympystr(self, printer):
        o, y = (printer._print(a) for a in self.args[1:])
        return {
            "mse": f"{o} - {y}",
            "bce": f"sigmoid({o}) - {y}",
            "ce": f"softmax({o}) * sum({y}) - {y}",
        }[self.loss]


@dataclass(frozen=True)
class Equation(LatexDisplay):
    stage: str  # forward | output | backward | update
    layer: int
    lhs: sp.Basic
    rhs: sp.Basic
    rule: str  # which equation of DESIGN.md §1 this instantiates

    @property
    def assignment(self) -> bool:
        """Update rules assign (<-) rather than state an equality."""
        return self.stage == "update"


@dataclass(frozen=True)
class DerivationCheck:
    method: str
    entries: int
    passed: bool
    detail: str
    #: the exact route only: the first entry the two routes were refuted on, e.g. "entry 3 of dL/dW1",
    #: and its Decision (rational point, both values)
    refuted_entry: str = ""
    refutation: Decision | None = None


@dataclass(frozen=True)
class Derivation(LatexDisplay):
    spec: MLP
    equations: tuple[Equation, ...]
    scalar_equations: tuple[Equation, ...]  # empty for networks above the size bound
    check: DerivationCheck

    @property
    def convention(self) -> str:
        return get_activation(self.spec.activation).convention

    @property
    def loss_description(self) -> str:
        return get_loss(self.spec.loss).description


def _layer_symbols(spec: MLP):
    K, widths = spec.depth, spec.widths
    W = {i: MatrixSymbol(f"W{i}", widths[i], widths[i - 1]) for i in spec.layers}
    b = {i: MatrixSymbol(f"b{i}", widths[i], 1) for i in spec.layers}
    h = {0: MatrixSymbol("x", widths[0], 1)}
    h.update({i: MatrixSymbol(f"h{i}", widths[i], 1) for i in range(1, K + 1)})
    z = {i: MatrixSymbol(f"z{i}", widths[i], 1) for i in range(1, K + 1)}
    z[K + 1] = MatrixSymbol("o", widths[K + 1], 1)
    return W, b, h, z


def matrix_equations(spec: MLP) -> tuple[Equation, ...]:
    K, widths = spec.depth, spec.widths
    W, b, h, z = _layer_symbols(spec)
    y = MatrixSymbol("y", widths[-1], 1)
    act = spec.activation
    equations = []
    for i in range(1, K + 2):
        equations.append(Equation("forward", i, z[i], W[i] * h[i - 1] + b[i], "forward"))
        if i <= K:
            equations.append(Equation("forward", i, h[i], Activate(act, z[i]), "forward"))
    delta = {K + 1: MatrixSymbol(f"delta{K + 1}", widths[K + 1], 1)}
    equations.append(Equation("output", K + 1, delta[K + 1], OutputGradient(spec.loss, z[K + 1], y), "dL/do"))
    for i in range(K + 1, 0, -1):
        equations.append(Equation("backward", i, MatrixSymbol(f"dL_dW{i}", widths[i], widths[i - 1]),
                                  delta[i] * Transpose(h[i - 1]), "(1)"))
        equations.append(Equation("backward", i, MatrixSymbol(f"dL_db{i}", widths[i], 1), delta[i], "(2)"))
        if i > 1:
            grad_h = MatrixSymbol(f"dL_dh{i - 1}", widths[i - 1], 1)
            equations.append(Equation("backward", i - 1, grad_h, Transpose(W[i]) * delta[i], "(3)"))
            delta[i - 1] = MatrixSymbol(f"delta{i - 1}", widths[i - 1], 1)
            equations.append(Equation("backward", i - 1, delta[i - 1],
                                      HadamardProduct(grad_h, Activate(act, z[i - 1], 1)), "(2)"))
    for i in range(1, K + 2):
        for parameter, gradient_name in ((W[i], f"dL_dW{i}"), (b[i], f"dL_db{i}")):
            gradient = MatrixSymbol(gradient_name, *parameter.shape)
            step = MatAdd(parameter, -LEARNING_RATE * gradient, evaluate=False)
            equations.append(Equation("update", i, parameter, step, "update"))
    return tuple(equations)


def scalar_equations(spec: MLP) -> tuple[Equation, ...]:
    """Entry by entry, in terms of named intermediates, as a textbook writes them."""
    K, widths = spec.depth, spec.widths
    loss = get_loss(spec.loss)
    sigma_prime = get_activation(spec.activation).derivative
    params = generic_parameters(spec)
    x, y = data_symbols(spec)
    vector = lambda name, n: tuple(sp.Symbol(f"{name}_{j}", real=True) for j in range(n))  # noqa: E731
    h = {0: x, **{i: vector(f"h{i}", widths[i]) for i in range(1, K + 1)}}
    z = {i: vector(f"z{i}", widths[i]) for i in range(1, K + 1)}
    z[K + 1] = vector("o", widths[-1])
    delta = {i: vector(f"delta{i}", widths[i]) for i in range(1, K + 2)}
    equations = [Equation("output", K + 1, d, g, "dL/do")
                 for d, g in zip(delta[K + 1], loss.symbolic_gradient(z[K + 1], y))]
    for i in range(K + 1, 0, -1):
        grads = outer(delta[i], h[i - 1])
        for r, row in enumerate(grads):
            for c, value in enumerate(row):
                equations.append(Equation("backward", i, sp.Symbol(f"dW{i}_{r}_{c}"), value, "(1)"))
        for r, value in enumerate(delta[i]):
            equations.append(Equation("backward", i, sp.Symbol(f"db{i}_{r}"), value, "(2)"))
        if i > 1:
            back = hadamard(transpose_matvec(params[f"W{i}"], delta[i]),
                            tuple(sigma_prime(v) for v in z[i - 1]))
            equations += [Equation("backward", i - 1, d, v, "(3)") for d, v in zip(delta[i - 1], back)]
    return tuple(equations)


#: bytes the check holds per parameter (a symbol, its 60-digit number, its gradient entry, NumPy
#: copies): about 2.2 KB measured at 91,000 parameters, with room to spare
BYTES_PER_PARAMETER = 4096


def derive(spec: MLP, seed: int = 0) -> Derivation:
    """The equations of ``spec`` and a check of the recursion they describe."""
    budget.require_memory(spec.parameter_count * BYTES_PER_PARAMETER,
                          f"checking the derivation of MLP {budget.brief(spec.name)} "
                          f"({spec.parameter_count} parameters)", "use smaller widths")
    small = spec.parameter_count <= SCALAR_FORM_MAX_PARAMETERS
    scalar = scalar_equations(spec) if small else ()
    return Derivation(spec, matrix_equations(spec), scalar, check_recursion(spec, exact=small, seed=seed))


def check_recursion(spec: MLP, exact: bool, seed: int = 0) -> DerivationCheck:
    """Route (a) (the recursion) against route (b) (sympy.diff) exactly on small
    networks, and against NumPy and central finite differences otherwise."""
    params = generic_parameters(spec)
    x, y = data_symbols(spec)
    if exact:
        budget.phase(f"checking the recursion for MLP {budget.brief(spec.name)} against sympy.diff")
        recursion = backprop(spec, params, x, y).gradients
        direct = diff_gradients(spec, params, x, y)
        count, failures, refuted_entry, refutation = 0, [], "", None
        for name in spec.parameter_names:
            for index, (a, b) in enumerate(zip(flatten(recursion[name]), flatten(direct[name]))):
                count += 1
                decision = decide_equal(a, b, Sampler(seed=seed))
                if decision.status != PROVED:
                    failures.append(name)
                if decision.status == REFUTED and refutation is None:
                    refuted_entry, refutation = f"entry {index} of dL/d{name}", decision
        detail = "all equal" if not failures else f"differ in {', '.join(sorted(set(failures)))}"
        return DerivationCheck("route (a) recursion = route (b) sympy.diff, decided exactly",
                               count, not failures, detail, refuted_entry, refutation)
    symbols = [s for name in spec.parameter_names for s in flatten(params[name])]
    rng = np.random.default_rng(seed)
    values = rng.uniform(-1, 1, len(symbols))
    xs, ys = sample_example(spec, rng)
    budget.phase(f"checking the recursion for MLP {budget.brief(spec.name)} at a random point")
    # the recursion run at the point itself, in 60-digit numbers: the same values as its
    # symbolic form evaluated there, without one expression per entry (those nest with depth)
    number = lambda v: sp.Float(float(v), DIGITS)  # noqa: E731
    at_point = {name: _map(params[name], dict(zip(symbols, map(number, values)))) for name in spec.parameter_names}
    recursion = backprop(spec, at_point, tuple(map(number, xs)), tuple(map(number, ys))).gradients
    comparison = compare_gradients(spec, params, recursion, symbols, x, y, [(values, xs, ys)])
    arrays = {name: np.array(params[name], dtype=object) for name in spec.parameter_names}
    assignment = dict(zip(symbols, values))
    arrays = {name: np.vectorize(lambda s: assignment[s], otypes=[float])(a) for name, a in arrays.items()}
    exact_numeric = numeric.backprop(spec, arrays, xs, ys).gradients
    fd_error = numeric.finite_difference_gap(spec, arrays, xs, ys, exact_numeric)
    passed = comparison.passed and fd_error < tolerances.FINITE_DIFFERENCE
    return DerivationCheck(
        "recursion (evaluated at 60 digits) vs NumPy backprop vs central finite differences at a random point",
        sum(len(flatten(recursion[n])) for n in spec.parameter_names), passed,
        f"symbolic vs NumPy {comparison.max_abs_difference:.1e}; NumPy vs finite differences {fd_error:.1e}",
    )


def _map(value, assignment: dict):
    """A parameter (tuple of rows, or a vector) with every symbol replaced by its number."""
    if value and isinstance(value[0], tuple):
        return tuple(tuple(assignment[s] for s in row) for row in value)
    return tuple(assignment[s] for s in value)
