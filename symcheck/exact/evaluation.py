"""Evaluating large SymPy expressions at a rational point, fast.

Expressions produced by several training steps share subtrees heavily (the
same pre-activation appears in the forward pass, in sigma' and in every
gradient that depends on it). ``evalf`` walks them as trees, which is
exponential in the nesting; this evaluator walks the DAG once, caching each
distinct subexpression, in 60-digit mpmath arithmetic (or another precision when
asked: the decider re-evaluates a candidate difference at a lower one). It is
used to *search* for witnesses (``exact.decide``); every witness it finds is then
re-checked by a route that shares none of its arithmetic (SymPy's own,
``exact.recheck``, and ``oracle.replay`` for a training step), so a mistake here can
cost a witness but never make one up. What they do share is a guard and a constant, not
arithmetic: this module takes exp's overflow guard (``replay.bounded_exp``) from the
replay, and the re-check its precision policy (``RELATIVE``) and symbol walk from here.

Jumps are where rounding can change a value by a whole step: Heaviside, sign, floor,
ceiling and the comparisons of a Piecewise. ``evaluate_checked`` records, for each
jump, how far its argument is from the jump relative to the largest magnitude met
computing that argument (``Evaluation.noisy``: an argument that is 0 up to rounding,
a computed 1e-60 standing for an exact 0) and which branch it took
(``Evaluation.branches``, compared across precisions by the decider). An argument
that is exactly 0 (ReLU'(0) at an exact rational point) is not noise.

``GENERIC_STAND_INS`` is where the uninterpreted activation (``f`` of
``model.activations``, ``sigma`` of the general proof) and its derivative get
numbers: the SymPy forms of ``model.activations.STAND_IN_FORMS`` (tanh), the one table the
SymPy re-check uses too, evaluated here like any other expression.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import mpmath
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from ..errors import NotReal
from ..model.activation_forms import LEAKY_SLOPE
from ..model.activations import STAND_IN_FORMS
from ..oracle.replay import bounded_exp

DIGITS = 60


def _sigmoid(a):
    return 1 / (1 + bounded_exp(-a))


def _floor_distance(a):
    """How far ``a`` is from the nearest jump of floor and ceiling (an integer)."""
    return abs(a - mpmath.nint(a))


def _heaviside(a, h0=None):
    if a > 0:
        return mpmath.mpf(1)
    if a < 0:
        return mpmath.mpf(0)
    if h0 is None:
        raise NotReal("Heaviside(0) without a value")
    return h0


FUNCTIONS = {
    "sigmoid": _sigmoid,
    "tanh": mpmath.tanh,
    "exp": bounded_exp,
    "sinh": lambda a: bounded_exp(a, mpmath.sinh),
    "cosh": lambda a: bounded_exp(a, mpmath.cosh),
    "sin": mpmath.sin,
    "cos": mpmath.cos,
    "tan": mpmath.tan,
    "atan": mpmath.atan,
    "log": lambda a: mpmath.log(a) if a > 0 else _raise("log of a non-positive number"),
    "erf": mpmath.erf,
    "erfc": mpmath.erfc,
    "relu": lambda a: a if a > 0 else mpmath.mpf(0),
    "leaky_relu": lambda a: a if a > 0 else a * LEAKY_SLOPE.numerator / LEAKY_SLOPE.denominator,
    "elu": lambda a: a if a > 0 else bounded_exp(a, mpmath.expm1),  # expm1, log1p: no cancellation near 0
    "softplus": lambda a: mpmath.log1p(bounded_exp(a)),
    # ncdf is erfc(-a/sqrt 2)/2 for a < 0: 1 + erf(a/sqrt 2) would cancel to nothing for a << 0
    "normal_cdf": mpmath.ncdf,
    "gelu": lambda a: a * mpmath.ncdf(a),
    "Heaviside": _heaviside,
    "sign": mpmath.sign,
    "floor": mpmath.floor,
    "ceiling": mpmath.ceil,
    "Max": max,
    "Min": min,
    "Abs": abs,
}

_STAND_IN_ARGUMENT = sp.Dummy("z")


def stand_in_function(form):
    """One SymPy form of the stand-in (its function or its derivative, from the activation
    table) as a function of a number, evaluated by this module at the caller's precision."""
    expression = form(_STAND_IN_ARGUMENT)

    def value(a):
        result = _eval(expression, _Walk({_STAND_IN_ARGUMENT: a}, {}), {})
        if isinstance(result, _Failed):
            raise NotReal(result.reason)
        return result

    return value


#: The uninterpreted activation and its derivative, by class name: the stand-in's forms.
GENERIC_STAND_INS = {name: stand_in_function(form) for name, form in STAND_IN_FORMS.items()}
FUNCTIONS.update(GENERIC_STAND_INS)

#: Functions that jump, by class name: how far an argument is from the jump (0 on it).
JUMPS = {"Heaviside": abs, "sign": abs, "floor": _floor_distance, "ceiling": _floor_distance}


def _raise(message):
    raise NotReal(message)


def dag_free_symbols(*exprs) -> set:
    """The free symbols of ``exprs``, visiting each distinct subexpression once.

    SymPy's ``free_symbols`` walks an expression as a tree; after a few training
    steps the shared subexpressions make that tree exponentially larger than
    the DAG. Nodes that bind variables (Subs, Derivative, Lambda, sums) answer
    for themselves, so bound variables are never reported as free."""
    seen, found, stack = set(), set(), [sp.sympify(e) for e in exprs]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if node.is_Symbol:
            found.add(node)
        elif getattr(node, "bound_symbols", None) or isinstance(node, (sp.Subs, sp.Derivative, sp.Lambda)):
            found |= node.free_symbols
        else:
            stack.extend(node.args)
    return found


@functools.lru_cache(maxsize=4096)
def symbols_of(expression) -> frozenset:
    """``dag_free_symbols`` of one expression, remembered: a derived symbol's definition is read
    for every witness search of a trace and every re-check of it."""
    return frozenset(dag_free_symbols(expression))


@dataclass
class Evaluation:
    """Values of several expressions at one point, with what the decider needs to trust them.

    ``scale``: the largest magnitude met (the point's coordinates, every subexpression, the
    results): rounding at ``digits`` digits is relative to it. ``scales``: per result, the
    largest magnitude met computing it. ``noisy``: a jump's argument was nonzero but below
    ``RELATIVE`` times the magnitudes that computed it, so the branch taken is rounding's
    choice. ``branches``: the side of every jump, in evaluation order."""

    values: list
    scale: mpmath.mpf
    scales: list
    noisy: bool = False
    branches: list = field(default_factory=list)


#: A difference of evaluated values counts only above this times the largest magnitude met
#: computing them: 30 digits above the 60-digit rounding (the decider's precision policy,
#: ``exact.decide``). A jump's argument counts as nonzero only above it too.
RELATIVE = mpmath.mpf(10) ** -30


def evaluate_many(exprs, point: dict, digits: int = DIGITS) -> list:
    """Several expressions at one point, sharing one cache: the gradients of a
    network share their forward pass, so each subexpression is computed once.
    ``point`` maps symbols to SymPy rationals, floats or mpmath numbers; an entry that is not a
    finite real number comes back as None."""
    return evaluate_checked(exprs, point, digits).values


def evaluate_checked(exprs, point: dict, digits: int = DIGITS, point_scales: dict | None = None) -> Evaluation:
    """``evaluate_many`` with the magnitudes met and the jumps taken (``Evaluation``).
    ``point_scales`` (symbol -> magnitude): for a coordinate that was itself computed (a value
    standing for a subexpression), the largest magnitude met computing it."""
    cache: dict = {}
    walk = _Walk(point, point_scales or {})
    values, scales = [], []
    with mpmath.workdps(digits):
        for expr in exprs:
            expr = sp.sympify(expr)
            value = _eval(expr, walk, cache)
            if not isinstance(value, mpmath.mpf) or not mpmath.isfinite(value):
                value = None
            values.append(value)
            scales.append(walk.scales.get(expr, mpmath.mpf(0)))
        scale = max((abs(v) for v in cache.values() if isinstance(v, mpmath.mpf) and mpmath.isfinite(v)),
                    default=mpmath.mpf(0))
        scale = max([scale, *scales])
    return Evaluation(values, scale, scales, walk.noisy, walk.branches)


def evaluate(expr, point: dict):
    """expr at ``point`` (Symbol -> SymPy rational) as an mpmath number, or None if not real."""
    return evaluate_many([expr], point)[0]


class _Walk:
    """One evaluation's point and what it records on the way: the largest magnitude met under
    each node, and the jumps."""

    def __init__(self, point: dict, point_scales: dict):
        self.point, self.point_scales = point, point_scales
        self.scales: dict = {}
        self.noisy = False
        self.branches: list = []

    def note(self, node, value, cache) -> None:
        """Record ``node``'s magnitudes and, if it is a jump, its argument's side and distance."""
        children = _children(node)
        own = abs(value) if isinstance(value, mpmath.mpf) and mpmath.isfinite(value) else mpmath.mpf(0)
        if node.is_Symbol:
            own = max(own, self.point_scales.get(node, own))
        self.scales[node] = max([own, *(self.scales.get(c, mpmath.mpf(0)) for c in children)])
        name = type(node).__name__
        if name in JUMPS and node.args:
            self._jump(JUMPS[name], [node.args[0]], cache)
        elif isinstance(node, sp.Piecewise):
            for _, condition in node.args:
                for relation in _relations(condition):
                    self._jump(abs, [relation.lhs, relation.rhs], cache)

    def _jump(self, distance, arguments, cache) -> None:
        values = [cache.get(a) for a in arguments]
        if not all(isinstance(v, mpmath.mpf) and mpmath.isfinite(v) for v in values):
            return
        argument = values[0] if len(values) == 1 else values[0] - values[1]
        gap = distance(argument)
        self.branches.append(mpmath.sign(argument) if distance is abs else mpmath.floor(argument))
        if gap != 0 and gap <= RELATIVE * max(self.scales.get(a, mpmath.mpf(0)) for a in arguments):
            self.noisy = True


class _Failed:
    """The cached outcome of a node that is not a finite real number; reading it raises NotReal."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason


#: What a failing node may raise; anything else is a bug and propagates.
_NOT_REAL = (NotReal, ArithmeticError, ValueError, TypeError)


def float_values(values: dict, point: dict | None = None) -> dict:
    """Vectors and matrices of SymPy values as float arrays, by name: numbers, the closed forms an
    exact step leaves (softplus(0)/2), or expressions in symbols given numbers by ``point``
    (symbol -> float or rational), evaluated through the DAG evaluator at 60 digits and rounded
    once; NaN where a value is not a finite real."""
    arrays = {}
    for name, value in values.items():
        entries = evaluate_many(flatten(value), point or {})
        floats = [float(v) if v is not None else np.nan for v in entries]
        shape = (len(value), len(value[0])) if value and isinstance(value[0], tuple) else (len(value),)
        arrays[name] = np.array(floats, dtype=float).reshape(shape)
    return arrays


def flatten(value) -> list:
    """The entries of a vector or a matrix given as (nested) tuples, row by row."""
    if value and isinstance(value[0], tuple):
        return [entry for row in value for entry in row]
    return list(value)


def _eval(root, walk, cache):
    """The value of ``root`` (or a _Failed), computing children first from an explicit stack:
    a network of K layers nests K deep, far beyond Python's recursion limit at K = 256."""
    stack = [root]
    while stack:
        node = stack[-1]
        if node in cache:
            stack.pop()
            continue
        pending = [child for child in _children(node) if child not in cache]
        if pending:
            stack.extend(pending)
            continue
        stack.pop()
        try:
            cache[node] = _compute(node, walk.point, cache)
        except _NOT_REAL as error:
            cache[node] = _Failed(str(error) or type(error).__name__)
        walk.note(node, cache[node], cache)
    return cache[root]


def _children(node) -> tuple:
    """The subexpressions ``_compute`` reads from the cache (all of them, before the node)."""
    if node.is_Atom:
        return ()
    if node.is_Pow and node.exp.is_Integer:
        return (node.base,)
    if isinstance(node, sp.Piecewise):
        parts = []
        for value, condition in node.args:
            parts.append(value)
            for relation in _relations(condition):
                parts.extend((relation.lhs, relation.rhs))
        return tuple(parts)
    if node.is_Add or node.is_Mul or node.is_Pow or type(node).__name__ in FUNCTIONS:
        return node.args
    return ()  # evaluated whole by SymPy (see the end of _compute)


def _value(node, cache):
    """A child's value, computed before its parent; a child that failed makes the parent fail."""
    value = cache[node]
    if isinstance(value, _Failed):
        raise NotReal(value.reason)
    return value


def _compute(node, point, cache):
    if node.is_Symbol:
        q = point[node]
        if isinstance(q, mpmath.mpf):  # a value computed earlier at this precision
            return q
        if isinstance(q, (float, int)) and not isinstance(q, bool):
            return mpmath.mpf(q)
        return mpmath.mpf(int(q.p)) / int(q.q)
    if node.is_Rational:
        return mpmath.mpf(int(node.p)) / int(node.q)
    if node.is_Float:
        return mpmath.mpf(str(node))
    if node.is_Add:
        return mpmath.fsum(_value(a, cache) for a in node.args)
    if node.is_Mul:
        return mpmath.fprod(_value(a, cache) for a in node.args)
    if node.is_Pow:
        base = _value(node.base, cache)
        exponent = node.exp
        if exponent.is_Integer:
            return base ** int(exponent)
        e = _value(exponent, cache)
        if base < 0:
            raise NotReal("fractional power of a negative number")
        return base ** e
    if isinstance(node, sp.Piecewise):
        # only the branch taken is read: an untaken branch may fail (log of a negative)
        for value, condition in node.args:
            if _truth(condition, cache):
                return _value(value, cache)
        raise NotReal("no Piecewise branch applies")
    name = type(node).__name__
    if name in FUNCTIONS and node.args:
        return FUNCTIONS[name](*(_value(a, cache) for a in node.args))
    if node.has(AppliedUndef, sp.Subs, sp.Derivative):
        # an uninterpreted function (a generic loss) has no value; SymPy's evalf of its
        # derivative at a point recurses without end
        raise NotReal("an uninterpreted function")
    # anything else (pi, E, rare functions): SymPy's own evaluation of this node only
    number = node.xreplace(point).evalf(mpmath.mp.dps)
    if not number.is_real or not number.is_finite:
        raise NotReal(str(node.func))
    return mpmath.mpf(str(number))


def _relations(condition) -> list:
    """The comparisons a Piecewise condition (And, Or, Not of comparisons) is made of."""
    found, stack = [], [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, sp.core.relational.Relational):
            found.append(node)
        elif isinstance(node, (sp.And, sp.Or, sp.Not)):
            stack.extend(node.args)
    return found


def _truth(condition, cache) -> bool:
    if condition is sp.true or condition == True:  # noqa: E712 - SymPy's true
        return True
    if condition is sp.false:
        return False
    if isinstance(condition, sp.core.relational.Relational):
        lhs, rhs = _value(condition.lhs, cache), _value(condition.rhs, cache)
        return {">": lhs > rhs, "<": lhs < rhs, ">=": lhs >= rhs, "<=": lhs <= rhs,
                "==": lhs == rhs, "!=": lhs != rhs}[condition.rel_op]
    if isinstance(condition, sp.And):
        return all(_truth(part, cache) for part in condition.args)
    if isinstance(condition, sp.Or):
        return any(_truth(part, cache) for part in condition.args)
    if isinstance(condition, sp.Not):
        return not _truth(condition.args[0], cache)
    # never print the condition into the message: it can be a huge expression
    raise NotReal(f"a condition of type {type(condition).__name__}")
