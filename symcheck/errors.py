"""Every exception class of symcheck, under the one root ``SymcheckError``.

A failed proof is a *value* (a verdict with a counterexample), never an
exception. The classes here are for misuse (bad specs, bad files, bad
arguments: each message is one line that names the field, shows the offending
value, says what is allowed and, where a close spelling exists, suggests it),
for checks that caught a bug of symcheck's own (``DerivationError``,
``ExerciseCheckFailed``), and for signals used inside one computation
(``NotReal``, ``Untranslatable``, ``NeedsAbstraction``).

The one exception that is not here is ``budget.BudgetExceeded``: it is a
``BaseException`` on purpose, so that no ``except Exception`` (or ``except
SymcheckError``) inside the engine can turn an exhausted budget into a verdict.

``with_context`` is the public boundary's decorator: a ``SymcheckError`` that
leaves a public function gets "while proving 3-4-4-2 tanh mse with adam: " in
front of its message, keeping its class, traceback and ``__cause__``.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import re
from collections.abc import Callable, Iterable

#: characters that would break a one-line message (newlines, carriage returns, escape sequences)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class SymcheckError(Exception):
    """Root of every error symcheck raises deliberately."""


class InvalidSpec(SymcheckError, ValueError):
    """A network description (widths, activation, loss, init) is malformed."""


class InvalidPoint(SymcheckError, ValueError):
    """A numeric point (parameters, x, y) has missing keys, wrong shapes or non-finite values."""


class InvalidFile(SymcheckError, ValueError):
    """A file could not be read or parsed (missing, a directory, not JSON, ...)."""


def closest(value: object, allowed: Iterable[str]) -> str | None:
    """The allowed name closest to ``value``, if one is close enough to suggest."""
    allowed = list(allowed)
    by_case = {name.lower(): name for name in allowed}
    if str(value).lower() in by_case:  # "Relu" means relu, not elu
        return by_case[str(value).lower()]
    matches = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
    return matches[0] if matches else None


def unknown_name(field: str, value: object, allowed: Iterable[str]) -> str:
    """One-line message for a name that is not in a registry."""
    allowed = sorted(allowed)
    message = f"{field}: unknown value {value!r}; allowed: {', '.join(allowed)}"
    suggestion = closest(value, allowed)
    if suggestion is not None:
        message += f" (did you mean {suggestion!r}?)"
    return message


def not_allowed(value: object, allowed: Iterable[str]) -> str:
    """One-line message for a value outside a fixed list of choices (a suggestion if one is close)."""
    allowed = list(allowed)
    hint = closest(value, allowed) if isinstance(value, str) else None
    suggestion = f" (did you mean {hint!r}?)" if hint else ""
    return f"{value!r} is not allowed; allowed: {', '.join(allowed)}{suggestion}"


def one_line(message: str) -> str:
    """``message`` with control characters escaped (a newline in a file name shows as \\n), so
    that an error is always exactly one line, whatever text of the user's it quotes."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], str(message))


class MissingDependency(SymcheckError):
    """An optional package a command needs is not installed; the message names the extra."""


class InvalidExpression(SymcheckError, ValueError):
    """An expression string (a custom activation) is not in the small safe language."""


class InvalidTheorem(SymcheckError, ValueError):
    """A theorem file is malformed: TOML syntax, unknown keys, wrong types or values."""


class HandoutUndecided(SymcheckError):
    """A check behind a sentence, cell or caption of the handout was undecided or disagreed with
    its cross-check: the handout is not built (exit 3), and the message names the cell."""


class InvalidArgument(SymcheckError, ValueError):
    """An argument of a public function has a value it does not accept (a setting out of range)."""


class UnsupportedObject(SymcheckError, TypeError):
    """A public function was given an object of a kind it does not handle (``latex(object())``)."""


class BuildFailed(InvalidFile):
    """The TeX engine reported an error while building a document (the .log says where)."""


class NotExportable(SymcheckError):
    """A result whose step cannot be written as a Coq proof (with the reason)."""


class DerivationError(SymcheckError):
    """SymPy did not arrive at the result a derivation claims (a bug, never user input)."""


class ExerciseCheckFailed(SymcheckError, AssertionError):
    """An answer of the handout's exercises disagreed with its independent cross-check (a bug,
    never shown to students)."""


class TheoremFailed(SymcheckError):
    """A theorem file run as a pytest item did not get its expected verdict (args: the outcome)."""


class NotReal(SymcheckError, ArithmeticError):
    """An exact or replayed value is not a finite real number at this point (log of a negative,
    division by zero, exp of a huge number): the point is skipped, never a verdict."""


class Untranslatable(SymcheckError):
    """An SMT translation met a node it has no exact or uninterpreted reading for (floats, derivatives)."""


class NeedsAbstraction(SymcheckError):
    """In strict mode, an SMT definition would need an uninterpreted function."""


def add_context(error: SymcheckError, context: str) -> None:
    """Put "while <context>: " in front of ``error``'s message, in place: the error keeps its class,
    its traceback and its ``__cause__``; a context already there is not added twice, and an error
    whose first argument is not a message (``TheoremFailed`` carries an outcome) is left as it is."""
    prefix = f"while {context}: "
    if error.args and isinstance(error.args[0], str) and not error.args[0].startswith(prefix):
        error.args = (prefix + error.args[0], *error.args[1:])


def with_context(describe: Callable[..., str]):
    """Decorator for a public API function: a ``SymcheckError`` raised inside it gets the context
    ``describe(**arguments)`` (called with every argument by name, defaults filled in), as einops
    does. When the arguments cannot be described (they are of the wrong kind, which may be the
    very error being raised), the context is "calling <function>" rather than a second error."""

    def decorate(function):
        signature = inspect.signature(function)

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except SymcheckError as error:
                try:
                    bound = signature.bind(*args, **kwargs)
                    bound.apply_defaults()
                    context = describe(**bound.arguments)
                except Exception:  # describing must never replace the error being reported
                    context = f"calling {function.__name__}"
                add_context(error, context)
                raise

        return wrapper

    return decorate
