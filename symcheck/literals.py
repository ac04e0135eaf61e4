"""Numbers written by users (options, widths, shapes, init values): ASCII only, bounded length.

Python's ``int`` and ``float`` accept far more than a user means to type: other
scripts' digits (``'٣'``, ``'²'.isdigit()`` is true), full-width digits,
underscores, surrounding spaces, and integers of thousands of digits (which
then fail with an exception of their own). Every number symcheck reads from
text goes through these two functions, which accept plain ASCII literals of
bounded length and raise ``InvalidSpec`` with one line otherwise."""

from __future__ import annotations

import math
import re

from .errors import InvalidSpec

#: a literal longer than this is refused before conversion (no float64 needs more)
MAX_LITERAL_CHARS = 100
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?", re.ASCII)


def integer(text: str, field: str, low: int | None = None, high: int | None = None) -> int:
    """``text`` as an int in [low, high]: ASCII digits with an optional sign, nothing else."""
    text = str(text).strip()
    if not _INTEGER.fullmatch(text):
        raise InvalidSpec(f"{field} is {clipped(text)}, not an integer (ASCII digits 0-9){_range(low, high)}")
    if len(text.lstrip("+-")) > MAX_LITERAL_CHARS:
        raise InvalidSpec(f"{field} is an integer of {len(text)} digits, out of range{_range(low, high)}")
    value = int(text)
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidSpec(f"{field} is {value}, out of range{_range(low, high)}")
    return value


def decimal(text: str, field: str) -> float:
    """``text`` as a finite float: an ASCII decimal literal such as 0.5, -3, 1e-4."""
    text = str(text).strip()
    if len(text) > MAX_LITERAL_CHARS:
        raise InvalidSpec(f"{field} is a number of {len(text)} characters; at most {MAX_LITERAL_CHARS} are read")
    if not _DECIMAL.fullmatch(text):
        raise InvalidSpec(f"{field} is {clipped(text)}, not a number (ASCII, e.g. 0.5, -3, 1e-4)")
    value = float(text)
    if not math.isfinite(value):
        raise InvalidSpec(f"{field} is {text!r}, not finite")
    return value


def _range(low, high) -> str:
    if low is not None and high is not None:
        return f"; give an integer from {low} to {high}"
    if low is not None:
        return f"; give an integer >= {low}"
    return ""


def clipped(text: str) -> str:
    """``repr(text)``, shortened so that a pasted megabyte does not become the error message."""
    return repr(text) if len(text) <= 40 else repr(text[:37] + "...")
