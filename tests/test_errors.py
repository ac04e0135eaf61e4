"""Errors: every exception class lives in errors.py under SymcheckError; the public boundary adds context."""

from __future__ import annotations

import ast
import inspect
import pickle
from pathlib import Path

import pytest

import symcheck
from symcheck import errors
from symcheck.cli import main
from symcheck.errors import InvalidSpec, SymcheckError, UnsupportedObject, with_context
from symcheck.model.spec import MLP
from symcheck.render.data import data
from symcheck.render.latex import latex
from symcheck.render.text import text

PACKAGE_DIR = Path(symcheck.__file__).resolve().parent
#: the one exception class outside errors.py: a BaseException, so that no ``except Exception``
#: (nor ``except SymcheckError``) inside the engine can turn an exhausted budget into a verdict
OUTSIDE_THE_ROOT = {("budget.py", "BudgetExceeded")}
#: names that make a class an exception when they appear among its bases
EXCEPTION_BASES = {"Exception", "BaseException", "ArithmeticError", "AssertionError", "ValueError", "TypeError",
                   "RuntimeError", "KeyError", "LookupError", "OSError"}


def exception_classes() -> list[tuple[str, str]]:
    """(file, class) for every class whose bases name an exception, an ``...Error`` or a class of errors.py."""
    own = {node.name for node in ast.parse((PACKAGE_DIR / "errors.py").read_text()).body
           if isinstance(node, ast.ClassDef)}
    found = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {ast.unparse(base).rpartition(".")[2] for base in node.bases}
            if bases & (EXCEPTION_BASES | own) or any(base.endswith(("Error", "Exception")) for base in bases):
                found.append((str(path.relative_to(PACKAGE_DIR)), node.name))
    return found


def test_the_walk_finds_exception_classes():
    found = exception_classes()
    assert ("errors.py", "InvalidSpec") in found and ("budget.py", "BudgetExceeded") in found


def test_every_exception_class_is_in_errors_py():
    elsewhere = [f"{path}: {name}" for path, name in exception_classes()
                 if path != "errors.py" and (path, name) not in OUTSIDE_THE_ROOT]
    assert not elsewhere, "exception classes outside symcheck/errors.py:\n" + "\n".join(elsewhere)


def test_every_exception_class_subclasses_symcheck_error():
    for path, name in exception_classes():
        if path == "errors.py":
            assert issubclass(getattr(errors, name), SymcheckError), name


def test_the_budget_is_not_an_exception():
    assert not issubclass(symcheck.budget.BudgetExceeded, Exception)


def test_latex_of_an_unknown_object_is_refused():
    with pytest.raises(UnsupportedObject, match="no LaTeX form for a value of type 'object'"):
        latex(object())
    with pytest.raises(SymcheckError, match="unknown LaTeX setting 'colour'"):
        latex(MLP((2, 2, 1)), colour="red")


def test_the_text_and_data_printers_refuse_unknown_objects():
    with pytest.raises(UnsupportedObject, match="no text form for object"):
        text(object())
    with pytest.raises(UnsupportedObject, match="no data form for object"):
        data(object())


def test_public_latex_says_what_it_was_printing():
    with pytest.raises(UnsupportedObject) as raised:
        symcheck.latex(object())
    assert str(raised.value).startswith("while printing a value of type 'object' as LaTeX: no LaTeX form for a value")


def test_context_is_added_at_the_public_boundary_and_keeps_the_class():
    spec = MLP((3, 4, 4, 2), "tanh", "mse")
    with pytest.raises(InvalidSpec) as raised:
        symcheck.prove_symmetry(spec, init="constnat", optimizer="adam")
    message = str(raised.value)
    assert message.startswith("while proving 3-4-4-2 tanh mse with adam: init: unknown value 'constnat'")
    assert message.count("while") == 1


def test_context_keeps_the_cause_and_the_traceback():
    cause = KeyError("widths")

    def build(spec, seed=0):
        raise InvalidSpec("widths: missing") from cause

    wrapped = with_context(lambda spec, seed: f"building {spec} with seed {seed}")(build)
    with pytest.raises(InvalidSpec) as raised:
        wrapped("2-2-1")
    assert str(raised.value) == "while building 2-2-1 with seed 0: widths: missing"
    assert raised.value.__cause__ is cause
    assert any(entry.name == "build" for entry in raised.traceback)


def test_a_context_that_cannot_be_described_does_not_hide_the_error():
    def fail(spec):
        raise InvalidSpec("widths: empty")

    wrapped = with_context(lambda spec: f"proving {spec.name}")(fail)  # a str has no .name
    with pytest.raises(InvalidSpec, match="^while calling fail: widths: empty$"):
        wrapped("not a network")


def test_an_error_that_carries_no_message_keeps_its_arguments():
    outcome = object()

    def fail():
        raise errors.TheoremFailed(outcome)

    with pytest.raises(errors.TheoremFailed) as raised:
        with_context(lambda: "running one theorem")(fail)()
    assert raised.value.args == (outcome,)


def test_other_errors_pass_unchanged():
    def fail():
        raise KeyError("x")

    with pytest.raises(KeyError) as raised:
        with_context(lambda: "doing nothing")(fail)()
    assert raised.value.args == ("x",)


#: the functions of ``__all__`` that are not wrapped, each with the reason
NOT_WRAPPED = {
    "get_activation": "registry look-up: its message names the field and the value",
    "get_loss": "registry look-up: its message names the field and the value",
    "get_optimizer": "registry look-up: its message names the field and the value",
    "custom_activation": "constructor: its message names the activation and what is wrong with it",
    "make_initializer": "constructor: its message names the scheme, shape or parameter",
    "compute_fans": "one formula on a shape: its message names the shape or convention",
    "calculate_gain": "one table look-up, as torch's: its message names the nonlinearity",
    "generic_parameters": "constructor: one symbol per entry of a network already checked by MLP",
    "symmetry_invariants": "constructor: the invariants of a network already checked by MLP",
    "tie_subspace": "constructor: the subspace of a partition already built",
    "parse_init": "parser: its message names the init and the field",
    "parse_expression": "parser: its message names the expression and what is not allowed",
    "load_point": "file reader: its message names the file and the field",
    "load_theorem": "file reader: its message names the file and the field",
}

WRAPPED = sorted(name for name in symcheck.__all__ if inspect.isfunction(getattr(symcheck, name))
                 and name not in NOT_WRAPPED)


def test_every_public_function_is_wrapped_or_says_why_not():
    functions = {name for name in symcheck.__all__ if callable(getattr(symcheck, name))
                 and not inspect.isclass(getattr(symcheck, name))}
    assert set(NOT_WRAPPED) <= functions, "a listed name is no longer a public function"
    unwrapped = {name for name in functions - set(NOT_WRAPPED) if getattr(symcheck, name).__module__ != "symcheck"}
    assert not unwrapped, f"public functions neither wrapped nor listed in NOT_WRAPPED: {sorted(unwrapped)}"
    assert {"prove_invariance", "decide_equal", "prove_symmetry", "latex"} <= set(WRAPPED)


def test_prove_invariance_takes_an_optimizer_name_and_refuses_a_misspelt_one():
    spec = MLP((2, 2, 1), "tanh", "mse")
    subspace = symcheck.tie_subspace(symcheck.twin_classes(spec, symcheck.parse_init("constant").values(spec)))
    with pytest.raises(InvalidSpec) as raised:
        symcheck.prove_invariance(subspace, "adamm")
    message = str(raised.value)
    assert message.startswith("while proving that a subspace of 2-2-1 tanh mse is closed under adamm: "
                              "optimizer: unknown value 'adamm'")
    assert "did you mean 'adam'?" in message and "\n" not in message
    assert symcheck.prove_invariance(subspace, "sgd").verdict == symcheck.Status.PROVED


@pytest.mark.parametrize("name", WRAPPED)
def test_the_public_functions_are_wrapped_and_keep_their_signature(name):
    public = getattr(symcheck, name)
    assert name in symcheck.__all__
    original = public.__wrapped__
    assert original.__name__ == name and original.__module__ != "symcheck"
    assert inspect.signature(public) == inspect.signature(original)
    assert pickle.loads(pickle.dumps(public)) is public  # multiprocessing sends functions by name


def test_the_command_line_message_has_no_context(capsys):
    assert main(["prove", "--widths", "2,2,1", "--init", "constnat"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("symcheck prove: error: init: unknown value 'constnat'") and "while" not in error
