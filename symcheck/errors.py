"""Every exception symcheck raises on purpose.

A failed proof is a *value* (a verdict with a counterexample), never an
exception; these classes are for misuse: bad specs, bad files, bad arguments.
Each message is one line that names the field, shows the offending value,
says what is allowed and, where a close spelling exists, suggests it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

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
