"""Numbers written by users (options, widths, shapes, init values): ASCII only, bounded length.

Python's ``int`` and ``float`` accept far more than a user means to type: other
scripts' digits (``'٣'``, ``'²'.isdigit()`` is true), full-width digits,
underscores, surrounding spaces, and integers of thousands of digits (which
then fail with an exception of their own). Every number symcheck reads from
text goes through these two functions, which accept plain ASCII literals of
bounded length and raise ``InvalidSpec`` with one line otherwise. Numbers in
JSON and TOML files are read by ``exact_float``: floats that keep the decimal
they were written as, for exact comparisons (``ExactFloat``, ``as_exact``)."""

from __future__ import annotations

import math
import re
from fractions import Fraction

from ..errors import InvalidSpec

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


#: a decimal exponent beyond this is far outside float64's range (1e-324 .. 1.8e308); refused before
#: ``Fraction`` computes 10**exponent (``Fraction("1e99999999")`` takes minutes)
MAX_EXPONENT = 400
_EXPONENT = re.compile(r"[eE]([+-]?[0-9]+)$", re.ASCII)


class ExactFloat(float):
    """A float that keeps the decimal literal it was read from, exactly, as ``exact`` (a Fraction):
    ``0.30000000000000001`` is the float 0.3 for the NumPy routes and 30000000000000001/10**17
    for exact comparisons. Code that only needs a float sees a float. Beyond a float's range
    (1e999 is inf, 1e-999 is 0.0) ``exact`` is None: ``point.finite_number`` refuses it, naming
    the field, and no ``Fraction`` computes 10**exponent for a huge exponent."""

    __slots__ = ("exact", "literal")

    def __new__(cls, literal: str):
        text = literal.replace("_", "")  # TOML allows 1_000.5; the parser has checked the placement
        value = super().__new__(cls, text)
        value.literal = literal
        exponent = _EXPONENT.search(text)
        in_range = math.isfinite(value) and not (exponent and abs(int(exponent.group(1))) > MAX_EXPONENT)
        exact = Fraction(text) if in_range else None
        # 1e-400 rounds to 0.0: the float routes would see another point than the exact ones
        value.exact = None if exact is not None and exact != 0 and value == 0 else exact
        return value

    def __reduce__(self):  # pickle and deepcopy rebuild it from its literal (a theorem crosses processes)
        return ExactFloat, (self.literal,)


def exact_float(literal: str) -> float:
    """``parse_float`` for JSON and TOML readers: the float, keeping the literal exactly (``ExactFloat``);
    inf and nan (TOML spells them) stay plain floats, refused by the finiteness checks that follow."""
    if len(literal) > MAX_LITERAL_CHARS:
        raise InvalidSpec(f"a number literal of {len(literal)} characters ({literal[:12]}...); at most "
                          f"{MAX_LITERAL_CHARS} are read (write large values as 1e300)")
    if not any(c.isdigit() for c in literal):
        return float(literal)
    return ExactFloat(literal)


def as_exact(number) -> Fraction:
    """A number read from a file as the decimal it was written as: an int exactly, an ``ExactFloat``
    by its literal, any other float by its shortest round-trip decimal (0.1 is 1/10)."""
    if isinstance(number, Fraction):
        return number
    if isinstance(number, int):
        return Fraction(number)
    exact = getattr(number, "exact", None)
    return exact if exact is not None else Fraction(repr(float(number)))


def _range(low, high) -> str:
    if low is not None and high is not None:
        return f"; give an integer from {low} to {high}"
    if low is not None:
        return f"; give an integer >= {low}"
    return ""


def clipped(text: str) -> str:
    """``repr(text)``, shortened so that a pasted megabyte does not become the error message."""
    return repr(text) if len(text) <= 40 else repr(text[:37] + "...")
