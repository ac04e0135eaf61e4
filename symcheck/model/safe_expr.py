"""A small, safe expression language for custom activations: ``"x / (1 + exp(-x))"``.

The text is parsed with Python's ``ast`` module (parsing executes nothing) and
the tree is walked against a whitelist; SymPy objects are built directly from
the allowed nodes. ``eval``, ``sympify`` and ``parse_expr`` never see the text,
so no name, attribute or call outside the whitelist can be reached.

Allowed: decimal numbers (kept exact: ``0.01`` is 1/100), the variable ``x``,
the constants ``pi`` and ``e``, ``+ - * /``, ``**`` with a small integer
literal exponent, unary minus and plus, and one-argument calls of the
functions in ``FUNCTIONS``. Input length, node count, nesting depth, the
size of exact numbers and the nesting of exp/sinh/cosh are bounded so that no
input can exhaust time or memory. Only ASCII is read (Python would fold
full-width letters into ASCII), and a part with no finite real value
(``log(0)``, ``sqrt(-1)``) is refused where it appears.
"""

from __future__ import annotations

import ast
import unicodedata
from fractions import Fraction

import sympy as sp

from .activations import custom_activation, elu, gelu, leaky_relu, relu, sigmoid, softplus
from ..errors import InvalidExpression, closest

VARIABLE = sp.Symbol("x", real=True)
MAX_LENGTH = 500
MAX_NODES = 200
MAX_DEPTH = 40
MAX_EXPONENT = 10
#: The largest exponent an expression may reach once SymPy folds (x**10)**10.
MAX_FOLDED_EXPONENT = 64
#: Exact integers and rationals are bounded in size (``(2**10)**10**...`` cannot grow).
MAX_NUMBER_BITS = 256
#: exp, sinh and cosh nest at most this deep: exp(exp(exp(exp(x)))) has no 60-digit value at x = 3.
MAX_GROWTH_NESTING = 3
GROWTH_FUNCTIONS = ("exp", "sinh", "cosh")
#: Values no real activation takes: an expression containing one is rejected where it appears.
NOT_FINITE_REAL = (sp.zoo, sp.oo, sp.S.NegativeInfinity, sp.nan, sp.I)

FUNCTIONS = {
    "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "abs": sp.Abs,
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "atan": sp.atan,
    "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "erf": sp.erf,
    "sigmoid": sigmoid, "relu": relu, "leaky_relu": leaky_relu, "elu": elu,
    "softplus": softplus, "gelu": gelu,
}
CONSTANTS = {"pi": sp.pi, "e": sp.E}
OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
ALLOWED = (
    "numbers, the variable x, pi, e, + - * /, ** with an integer exponent between "
    f"-{MAX_EXPONENT} and {MAX_EXPONENT}, and the functions {', '.join(sorted(FUNCTIONS))}"
)

#: What a rejected construct is called in the message.
DESCRIPTIONS = {
    ast.Attribute: "attribute access", ast.Subscript: "subscripts", ast.Lambda: "lambdas",
    ast.ListComp: "comprehensions", ast.SetComp: "comprehensions", ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions", ast.JoinedStr: "f-strings", ast.NamedExpr: "assignments (:=)",
    ast.Compare: "comparisons", ast.BoolOp: "boolean operators", ast.IfExp: "conditional expressions",
    ast.List: "lists", ast.Tuple: "tuples", ast.Dict: "dictionaries", ast.Set: "sets",
    ast.Starred: "starred arguments", ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield",
}


def parse_expression(text: object, *, max_length: int = MAX_LENGTH) -> sp.Expr:
    """The SymPy expression written in ``text`` in the variable ``x``; InvalidExpression otherwise."""
    return parse_activation(text, max_length=max_length)[0]


def custom_from_text(name: str, text: object):
    """The custom activation ``name`` defined by ``text``: its SymPy form and, for the
    replays that must not share SymPy's work, the checked syntax tree in plain tuples."""
    expression, tree = parse_activation(text)
    return custom_activation(name, expression, VARIABLE, tree=tree)


def parse_activation(text: object, *, max_length: int = MAX_LENGTH) -> tuple[sp.Expr, tuple]:
    """``text`` as (SymPy expression, plain tree); see ``plain_tree`` for the tree's form."""
    if not isinstance(text, str):
        raise InvalidExpression(f"expected an expression string such as \"x / (1 + exp(-x))\", got {text!r}")
    if len(text) > max_length:
        raise InvalidExpression(f"expression is {len(text)} characters long; at most {max_length} are allowed")
    if not text.strip():
        raise InvalidExpression(f"expression is empty; write one in x using {ALLOWED}")
    _require_ascii(text)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        reason = error.msg if "nested" not in error.msg else f"nested more than {MAX_DEPTH} levels deep"
        raise InvalidExpression(f"not an expression ({reason}); allowed: {ALLOWED}") from None
    except (RecursionError, MemoryError):
        raise InvalidExpression(f"nested more than {MAX_DEPTH} levels deep") from None
    try:
        nodes = sum(1 for _ in ast.walk(tree))
    except (RecursionError, MemoryError):  # pragma: no cover - ast.walk is iterative
        raise InvalidExpression(f"nested more than {MAX_DEPTH} levels deep") from None
    if nodes > MAX_NODES:
        raise InvalidExpression(f"expression has {nodes} syntax nodes; at most {MAX_NODES} are allowed")
    try:
        expression = _Builder().build(tree.body, 0)
    except RecursionError:
        raise InvalidExpression(f"nested more than {MAX_DEPTH} levels deep") from None
    return expression, plain_tree(tree.body)


def plain_tree(node: ast.AST) -> tuple:
    """A whitelisted syntax tree (already checked by ``_Builder``) as plain tuples, for an
    evaluator that shares nothing with SymPy (``replay``): ``("x",)``, ``("number", Fraction)``,
    ``("constant", "pi" | "e")``, ``("neg", a)``, ``(op, a, b)`` for op in + - * /,
    ``("**", a, integer)``, ``("call", name, a)``. Depth is bounded by MAX_DEPTH."""
    if isinstance(node, ast.Constant):
        return ("number", Fraction(repr(node.value)) if isinstance(node.value, float) else Fraction(node.value))
    if isinstance(node, ast.Name):
        return ("x",) if node.id == "x" else ("constant", node.id)
    if isinstance(node, ast.UnaryOp):
        operand = plain_tree(node.operand)
        return ("neg", operand) if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        symbol = OPERATORS[type(node.op)]
        if symbol == "**":
            return ("**", plain_tree(node.left), int(_exponent(node.right)))
        return (symbol, plain_tree(node.left), plain_tree(node.right))
    return ("call", node.func.id, plain_tree(node.args[0]))


def _require_ascii(text: str) -> None:
    """Python's parser folds full-width letters into ASCII (NFKC) and reads other scripts' letters
    as names: what the theorem file shows would not be what is checked. Only ASCII is allowed."""
    for position, char in enumerate(text):
        if not char.isascii():
            folded = unicodedata.normalize("NFKC", char)
            hint = f" (did you mean {folded!r}?)" if folded.isascii() and folded.isprintable() else ""
            raise InvalidExpression(f"character {char!r} (U+{ord(char):04X}) at position {position} is not "
                                    f"ASCII; write expressions in ASCII letters, digits and operators{hint}")


class _Builder:
    def build(self, node: ast.AST, depth: int) -> sp.Expr:
        if depth > MAX_DEPTH:
            raise InvalidExpression(f"nested more than {MAX_DEPTH} levels deep")
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            what = DESCRIPTIONS.get(type(node), f"the construct {type(node).__name__}")
            raise InvalidExpression(f"{what} not allowed; allowed: {ALLOWED}")
        expr = _bounded(method(node, depth + 1))
        if expr.has(*NOT_FINITE_REAL):
            # 0**-1, log(0), tan(pi/2) are zoo, sqrt(-1) is I: no real number for any x
            raise InvalidExpression(f"{ast.unparse(node)} is not a finite real number (it is {expr}); "
                                    "a custom activation must be real and finite")
        return expr

    def _Constant(self, node: ast.Constant, depth: int) -> sp.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidExpression(f"constant {value!r} not allowed; only numbers are")
        if isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                raise InvalidExpression(f"number {value!r} is not finite")
            # repr is the shortest decimal that round-trips: 0.01 becomes exactly 1/100
            fraction = Fraction(repr(value))
            return sp.Rational(fraction.numerator, fraction.denominator)
        return sp.Integer(value)

    def _Name(self, node: ast.Name, depth: int) -> sp.Expr:
        if node.id == "x":
            return VARIABLE
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        names = ["x", *CONSTANTS]
        hint = closest(node.id, names)
        suggestion = f" (did you mean {hint!r}?)" if hint else ""
        if node.id in FUNCTIONS:
            raise InvalidExpression(f"{node.id!r} is a function; call it, e.g. {node.id}(x)")
        raise InvalidExpression(f"unknown name {node.id!r}; the only variable is x, constants: pi, e{suggestion}")

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> sp.Expr:
        operand = self.build(node.operand, depth)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        raise InvalidExpression(f"operator {type(node.op).__name__} not allowed; allowed: {ALLOWED}")

    def _BinOp(self, node: ast.BinOp, depth: int) -> sp.Expr:
        symbol = OPERATORS.get(type(node.op))
        if symbol is None:
            raise InvalidExpression(f"operator {type(node.op).__name__} not allowed; allowed: + - * / **")
        left = self.build(node.left, depth)
        if symbol == "**":
            return left ** _exponent(node.right)
        right = self.build(node.right, depth)
        if symbol == "+":
            return left + right
        if symbol == "-":
            return left - right
        if symbol == "*":
            return left * right
        if right == 0:
            raise InvalidExpression("division by zero")
        return left / right

    def _Call(self, node: ast.Call, depth: int) -> sp.Expr:
        if not isinstance(node.func, ast.Name):
            what = DESCRIPTIONS.get(type(node.func), "calling an expression")
            raise InvalidExpression(f"{what} not allowed; allowed functions: {', '.join(sorted(FUNCTIONS))}")
        name = node.func.id
        if name not in FUNCTIONS:
            hint = closest(name, FUNCTIONS)
            suggestion = f" (did you mean {hint!r}?)" if hint else ""
            raise InvalidExpression(
                f"unknown function {name!r}; allowed: {', '.join(sorted(FUNCTIONS))}{suggestion}")
        if node.keywords or len(node.args) != 1:
            raise InvalidExpression(f"{name} takes exactly one argument, e.g. {name}(x)")
        if name in GROWTH_FUNCTIONS and _growth_nesting(node) > MAX_GROWTH_NESTING:
            raise InvalidExpression(f"{', '.join(GROWTH_FUNCTIONS)} nested more than {MAX_GROWTH_NESTING} deep "
                                    "grow beyond any number symcheck can evaluate")
        return FUNCTIONS[name](self.build(node.args[0], depth))


def _growth_nesting(node: ast.AST) -> int:
    """How many calls of exp, sinh or cosh are nested in ``node`` (depth is bounded by MAX_DEPTH)."""
    inner = max((_growth_nesting(child) for child in ast.iter_child_nodes(node)), default=0)
    own = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GROWTH_FUNCTIONS
    return inner + own


def _exponent(node: ast.AST) -> sp.Integer:
    """Exponents are integer literals (optionally negated) in a small range: no 9**9**9."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -1 if isinstance(node.op, ast.USub) else 1
        node = node.operand
    if (not isinstance(node, ast.Constant) or isinstance(node.value, bool)
            or not isinstance(node.value, int) or node.value > MAX_EXPONENT):
        raise InvalidExpression(
            f"exponents must be integer literals between -{MAX_EXPONENT} and {MAX_EXPONENT} "
            "(use sqrt for square roots)")
    return sp.Integer(sign * node.value)


def _bounded(expr: sp.Expr) -> sp.Expr:
    """Reject numbers and folded powers that grew too large while building."""
    if expr.is_Rational and max(abs(expr.p).bit_length(), abs(expr.q).bit_length()) > MAX_NUMBER_BITS:
        raise InvalidExpression(f"a number in the expression exceeds {MAX_NUMBER_BITS} bits")
    if expr.is_Pow and expr.exp.is_Integer and abs(expr.exp) > MAX_FOLDED_EXPONENT:
        raise InvalidExpression(f"the exponent {expr.exp} exceeds {MAX_FOLDED_EXPONENT}")
    return expr
