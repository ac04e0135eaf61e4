"""The expression language of custom activations: what it accepts, exactly, and
that hostile text is refused with a clear message and never executed."""

from __future__ import annotations

import json

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symcheck.model.activations import sigmoid
from symcheck.errors import InvalidExpression
from symcheck.model.safe_expr import MAX_DEPTH, MAX_LENGTH, VARIABLE, parse_expression
from theorem_helpers import run_cli, write

x = VARIABLE


@pytest.mark.parametrize("text, expected", [
    ("x / (1 + exp(-x))", x / (1 + sp.exp(-x))),
    ("0.01 * x", sp.Rational(1, 100) * x),
    ("x**2 - 3*x + 1", x**2 - 3 * x + 1),
    ("x ** -2", x**-2),
    ("-x", -x),
    ("+x", x),
    ("x * sigmoid(x)", x * sigmoid(x)),
    ("sqrt(1 + x**2)", sp.sqrt(1 + x**2)),
    ("abs(x) + erf(x) + log(1 + exp(x))", sp.Abs(x) + sp.erf(x) + sp.log(1 + sp.exp(x))),
    ("pi * e * x", sp.pi * sp.E * x),
    ("(2**10) * x", 1024 * x),
])
def test_accepted_expressions_are_built_exactly(text, expected):
    assert parse_expression(text) == expected


HOSTILE = {
    "import call": ("__import__('os').system('touch SENTINEL')", "not allowed"),
    "attribute": ("x.__class__", "attribute access"),
    "dunder name": ("__builtins__", "unknown name"),
    "eval call": ("eval('1')", "unknown function"),
    "lambda": ("(lambda: 1)()", "not allowed"),
    "list comprehension": ("[i for i in range(9)]", "comprehensions"),
    "generator": ("sum(i for i in range(9))", "unknown function"),
    "tower of powers": ("9**9**9", "exponents must be integer literals"),
    "huge exponent": ("x**100", "exponents must be integer literals"),
    "folded exponent": ("((x**10)**10)**10", "exceeds"),
    "huge number by powers": ("((((2**10)**10)**10)**10)**10", "bits"),
    "f-string": ("f'{x}'", "f-strings"),
    "walrus": ("(y := x)", "assignments"),
    "subscript": ("x[0]", "subscripts"),
    "statement": ("import os", "not an expression"),
    "string constant": ("'abc'", "only numbers"),
    "keyword argument": ("exp(x=1)", "exactly one argument"),
    "comparison": ("x < 1", "comparisons"),
    "conditional": ("x if x else 1", "conditional"),
    "infinite float": ("1e999 * x", "not finite"),
    "division by zero": ("x / 0", "division by zero"),
    "bitwise operator": ("x ^ 2", "not allowed"),
    "unknown variable": ("y + 1", "unknown name"),
    "empty": ("   ", "empty"),
    "not a string": (42, "expected an expression string"),
    # values that are not finite real numbers, wherever they appear
    "zero to a negative power": ("0**-1", r"0 \*\* \(-1\) is not a finite real number \(it is zoo\)"),
    "log of zero": ("log(0)", r"log\(0\) is not a finite real number"),
    "log of a negative": ("x * log(-2)", r"log\(-2\) is not a finite real number"),
    "imaginary unit": ("x + sqrt(-1)", r"sqrt\(-1\) is not a finite real number \(it is I\)"),
    "pole": ("tan(pi / 2) * x", "not a finite real number"),
    "zero times infinity": ("x * 0**-1 * 0", "not a finite real number"),
    "division by a zero expression": ("atan(1 / (x - x))", "division by zero"),
    # growth beyond any number the replays can hold
    "exp tower": ("exp(" * 8 + "x" + ")" * 8, "nested more than 3 deep"),
    "sinh and cosh tower": ("sinh(cosh(exp(sinh(x))))", "nested more than 3 deep"),
    # only ASCII: Python would fold full-width letters into ASCII and read other scripts' digits
    "full-width letters": ("\uff45\uff58\uff50(x)", r"U\+FF45.*not ASCII.*did you mean 'e'"),
    "Arabic-Indic digit": ("x * \u0663", r"U\+0663.*not ASCII"),
    "non-ASCII letter": ("\u03c3(x)", r"U\+03C3.*not ASCII"),
}


@pytest.mark.parametrize("text, message", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_expressions_are_refused(text, message):
    with pytest.raises(InvalidExpression, match=message):
        parse_expression(text)


def test_deep_nesting_is_refused_not_a_crash():
    for text in ("(" * 10_000 + "x" + ")" * 10_000, "-" * 10_000 + "x",
                 "exp(" * 10_000 + "x" + ")" * 10_000, "x" + "+x" * 10_000):
        with pytest.raises(InvalidExpression):
            parse_expression(text)  # the length limit
        with pytest.raises(InvalidExpression, match="nested|nodes|not an expression"):
            parse_expression(text, max_length=10**6)  # the depth and node limits themselves


def test_nesting_just_within_the_limit_is_accepted():
    depth = MAX_DEPTH // 2
    assert parse_expression("tanh(" * depth + "x" + ")" * depth).has(sp.tanh)
    assert parse_expression("exp(sinh(cosh(x)))").has(sp.exp)  # three growth functions are allowed


def test_very_long_input_is_refused():
    with pytest.raises(InvalidExpression, match=f"at most {MAX_LENGTH}"):
        parse_expression("x + " * 10_000 + "x")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="x()+-*/.,0123456789e_abcdfglnopqrstuw[]{}'\"=:;<> \n", max_size=60))
def test_any_text_gives_an_expression_or_invalid_expression(text):
    try:
        result = parse_expression(text)
    except InvalidExpression as error:
        assert "\n" not in str(error)
    else:
        assert isinstance(result, sp.Basic)
        assert result.free_symbols <= {x}


def test_hostile_theorem_file_runs_nothing(tmp_path):
    sentinel = tmp_path / "SENTINEL"
    for number, payload in enumerate([
        f"__import__('os').system('touch {sentinel}')",
        f"exec(\"open('{sentinel}', 'w')\")",
        f"(lambda: __import__('pathlib').Path('{sentinel}').touch())()",
        f"[__import__('os').system('touch {sentinel}') for _ in (1,)]",
    ]):
        theorem = write(tmp_path / f"evil{number}.toml", f'''statement = "hostile"
expect = "proved"

[network]
widths = [2, 2, 1]
activation = "evil"

[activations]
evil = {json.dumps(payload)}

[claim]
kind = "symmetry"
''')
        code, stdout, stderr = run_cli("check", theorem)
        assert code == 2
        assert stderr.count("\n") == 1 and "Traceback" not in stderr
        assert f"{theorem}:9: activations.evil:" in stderr
        assert stdout == b""
    assert not sentinel.exists()


@pytest.mark.parametrize("expression", ["log(0)", "0**-1", "sqrt(-1)", "exp(" * 8 + "x" + ")" * 8,
                                        "\uff45\uff58\uff50(x)"])
def test_theorem_file_with_an_expression_that_used_to_crash(tmp_path, expression):
    theorem = write(tmp_path / "bad.toml", f'''statement = "an activation with no finite real value"
expect = "proved"

[network]
widths = [2, 2, 1]
activation = "act"

[activations]
act = {json.dumps(expression)}

[claim]
kind = "symmetry"
''')
    code, stdout, stderr = run_cli("check", theorem, timeout=60)
    assert code == 2 and stdout == b""
    assert stderr.count("\n") == 1 and f"{theorem}:9: activations.act:" in stderr and "Traceback" not in stderr
