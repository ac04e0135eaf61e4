"""Re-checking decided identities with an SMT solver: z3, or cvc5 through its
z3-compatible Python API (``cvc5.pythonic``); "z3" below stands for either.

Each identity ``lhs = rhs`` that symcheck decided is translated from its SymPy
objects (``Translator``, a small walk over SymPy's node types) into a z3 term
and z3 is asked whether ``lhs != rhs`` is satisfiable over the reals:

- *unsat*: the identity holds for all reals -- and for every interpretation of
  the functions z3 saw as uninterpreted, so in particular for the real ones;
- *sat* with every function translated by its definition: a counterexample
  (the model is reported);
- *sat* where some function was uninterpreted (tanh, exp, sigmoid, a power
  with a symbolic exponent, ...): the sides differ for *some* function in its
  place, and whether they do for the real one needs its definition, so z3
  leaves the identity *undecided*;
- *unknown* or a time-out: *undecided* by z3, never proved.

The generic activation ``f`` and its derivative ``f'`` are uninterpreted by
design: the claim is for every sigma. Kinked activations (relu, leaky_relu,
elu's linear part) are translated by their piecewise definitions with ``If``;
every other applied function is uninterpreted, and the record says so.
Divisions are guarded: every denominator is assumed nonzero, as the identity
is only claimed where both sides are defined; a symbol SymPy knows to be
positive (the learning rate) or nonnegative is assumed so.
"""

from __future__ import annotations

import importlib
from fractions import Fraction

import sympy as sp

from ..model.activations import f, f_prime
from ..errors import NeedsAbstraction, Untranslatable
from ..exact.verdict import PROVED, REFUTED, UNDECIDED

#: z3's budget per identity; past it the identity is undecided by z3
TIMEOUT_MS = 10_000
EXACT_FUNCTIONS = {"f": "f", "f_prime": "f'"}


class Translator:
    """SymPy expressions -> z3 terms, sharing one z3 node per SymPy node (expressions are DAGs)."""

    def __init__(self, z3):
        self.z3 = z3
        self.symbols: dict = {}
        self.functions: dict = {}
        self.memo: dict = {}
        self.abstracted: set[str] = set()  # names of functions / constants taken as arbitrary
        self.denominators: list = []
        #: what SymPy assumed about the symbols (eta > 0, ...): the identity is claimed under it
        self.assumptions: list = []

    def __call__(self, expr, strict: bool = False):
        key = (expr, strict)
        if key not in self.memo:
            self.memo[key] = self._translate(expr, strict)
        return self.memo[key]

    def _translate(self, e, strict):
        z3 = self.z3
        if e.is_Symbol:
            if e.name not in self.symbols:
                symbol = self.symbols[e.name] = z3.Real(e.name)
                if e.is_positive:
                    self.assumptions.append(symbol > 0)
                elif e.is_nonnegative:
                    self.assumptions.append(symbol >= 0)
            return self.symbols[e.name]
        if e.is_Integer or e.is_Rational:
            return z3.RealVal(str(Fraction(int(e.p), int(e.q))))
        if e.is_Float:
            raise Untranslatable(f"floating-point constant {e}")
        if e is sp.S.true or e is sp.S.false:
            return z3.BoolVal(bool(e))
        if e.is_Add:
            return z3.Sum([self(a, strict) for a in e.args])
        if e.is_Mul:
            return z3.Product([self(a, strict) for a in e.args])
        if e.is_Pow:
            return self._power(e, strict)
        if isinstance(e, sp.Piecewise):
            return self._piecewise(e.args, strict)
        if isinstance(e, sp.Heaviside):
            x = self(e.args[0], strict)
            at_zero = self(e.args[1], strict) if len(e.args) > 1 else z3.RealVal("1/2")
            return z3.If(x > 0, z3.RealVal(1), z3.If(x == 0, at_zero, z3.RealVal(0)))
        if isinstance(e, (sp.Max, sp.Min)):
            terms = [self(a, strict) for a in e.args]
            out = terms[0]
            for t in terms[1:]:
                out = z3.If(t > out, t, out) if isinstance(e, sp.Max) else z3.If(t < out, t, out)
            return out
        if isinstance(e, sp.core.relational.Relational):
            lhs, rhs = self(e.lhs, strict), self(e.rhs, strict)
            ops = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
                   "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}
            return ops[e.rel_op](lhs, rhs)
        if isinstance(e, (sp.And, sp.Or, sp.Not)):
            parts = [self(a, strict) for a in e.args]
            return {sp.And: z3.And, sp.Or: z3.Or, sp.Not: z3.Not}[type(e)](*parts)
        if isinstance(e, sp.core.function.AppliedUndef) or isinstance(e, sp.Function):
            return self._apply(e, strict)
        if e.is_number:  # pi, E, sqrt(2)*...: an arbitrary constant
            return self._abstract_constant(e, strict)
        raise Untranslatable(f"{type(e).__name__} node {e}")

    def _power(self, e, strict):
        z3 = self.z3
        base, exponent = e.args
        if exponent.is_Integer:
            n = int(exponent)
            if n == 0:
                return z3.RealVal(1)
            b = self(base, strict)
            power = b if abs(n) == 1 else z3.Product([b] * abs(n))
            if n > 0:
                return power
            self.denominators.append(power)
            return 1 / power
        if exponent == sp.S.Half:  # sqrt: an arbitrary function of its argument
            return self._uninterpreted("sqrt", (base,), strict)
        return self._uninterpreted("pow", (base, exponent), strict)  # b^e, e symbolic: arbitrary in b and e

    def _piecewise(self, pieces, strict):
        (value, condition), rest = pieces[0], pieces[1:]
        if condition is sp.S.true or not rest:
            return self(value, strict)
        return self.z3.If(self(condition, strict), self(value, strict), self._piecewise(rest, strict))

    def _apply(self, e, strict):
        name = type(e).__name__
        if e.func in (f, f_prime):
            return self._function(EXACT_FUNCTIONS[name], len(e.args))(*[self(a, strict) for a in e.args])
        explicit = getattr(type(e), "explicit", None)
        if explicit is not None:  # a named activation: its definition, where that is exact
            try:
                return self(explicit(*e.args), True)
            except NeedsAbstraction:
                pass
        return self._uninterpreted(name, e.args, strict)

    def _uninterpreted(self, name, args, strict):
        if strict:
            raise NeedsAbstraction(name)
        self.abstracted.add(name)
        return self._function(name, len(args))(*[self(a, False) for a in args])

    def _abstract_constant(self, e, strict):
        if strict:
            raise NeedsAbstraction(str(e))
        name = f"const[{e}]"
        self.abstracted.add(str(e))
        if name not in self.symbols:
            self.symbols[name] = self.z3.Real(name)
        return self.symbols[name]

    def _function(self, name, arity):
        key = (name, arity)
        if key not in self.functions:
            self.functions[key] = self.z3.Function(name, *([self.z3.RealSort()] * (arity + 1)))
        return self.functions[key]


#: solver name -> (Python module exposing the z3 API, its timeout option, the package to install)
SOLVERS = {"z3": ("z3", "timeout", "z3-solver"), "cvc5": ("cvc5.pythonic", "tlimit-per", "cvc5")}


def load(name: str = "z3"):
    """The solver's z3-style Python API (z3 itself, or cvc5's ``pythonic`` twin of it), or None
    when the optional extra is not installed."""
    try:
        return importlib.import_module(SOLVERS[name][0])
    except ImportError:
        return None


def version(module) -> str:
    if hasattr(module, "get_version_string"):
        return module.get_version_string()
    return getattr(importlib.import_module(module.__name__.split(".")[0]), "__version__", "")


def recheck(lhs, rhs, z3, timeout_ms: int = TIMEOUT_MS) -> tuple[str, str]:
    """(status, detail) of ``lhs = rhs`` for all reals, according to the solver ``z3`` alone
    (the z3 module, or a module with the same API such as ``cvc5.pythonic``)."""
    translator = Translator(z3)
    try:
        left, right = translator(sp.sympify(lhs)), translator(sp.sympify(rhs))
    except Untranslatable as error:
        return UNDECIDED, f"not translatable ({error})"
    solver = z3.Solver()
    option = next((o for m, o, _ in SOLVERS.values() if m == z3.__name__), "timeout")
    solver.set(option, int(timeout_ms))
    for fact in translator.assumptions:
        solver.add(fact)
    for denominator in translator.denominators:
        solver.add(denominator != 0)
    solver.add(left != right)
    answer = solver.check()
    if answer == z3.unsat:
        return PROVED, ""
    if answer == z3.sat:
        if translator.abstracted:
            names = ", ".join(sorted(translator.abstracted))
            return UNDECIDED, (f"the sides differ for some function in place of {names}; "
                               "the solver has no definition to decide it for the real one")
        model = solver.model()
        point = ", ".join(f"{name} = {model.eval(symbol, model_completion=True)}"
                          for name, symbol in sorted(translator.symbols.items()))
        return REFUTED, f"counterexample: {point}"
    reason = solver.reason_unknown() if hasattr(solver, "reason_unknown") else "unknown"
    return UNDECIDED, f"the solver gave up ({reason})"


def abstracted_functions(exprs, z3) -> set[str]:
    """The functions a translation of ``exprs`` leaves uninterpreted (for the record's note)."""
    translator = Translator(z3)
    for expr in exprs:
        try:
            translator(sp.sympify(expr))
        except Untranslatable:
            pass
    return translator.abstracted
