"""Numeric points read from JSON files: ``{"W1": [[...]], "b1": [...], ..., "x": [...], "y": [...]}``.

W_i is a list of n_i rows of length n_{i-1}. With ``batch=True`` (``symcheck
grad``) ``x`` and ``y`` may also be mini-batches: lists of examples, ``"x":
[[1, 2], [3, 4]], "y": [[1], [0]]``; the loss is then summed over the examples.
Every problem is reported as one line naming the file and the field; nothing in
the file is executed."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InvalidFile, InvalidPoint, closest
from .literals import MAX_LITERAL_CHARS, as_exact, exact_float
from .loss_forms import get_loss_forms
from .spec import MLP
from .textfile import read_text_file

MAX_POINT_BYTES = 16 * 1024 * 1024
#: a point file nests three levels (object, rows, numbers); deeper input is refused before
#: parsing, so no parser recursion can be driven by the file
MAX_JSON_DEPTH = 16
#: examples in a mini-batch
MAX_EXAMPLES = 1024
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


@dataclass(frozen=True)
class Point:
    parameters: dict  # name -> np.ndarray
    x: np.ndarray  # one example (d,), or a mini-batch (B, d)
    y: np.ndarray  # (m,) or (B, m)
    #: name (parameters, "x", "y") -> an object array of Fractions, each number as the decimal it is
    #: written as (``literals.as_exact``), for exact comparisons; the arrays above are its floats
    exact: dict | None = None

    @property
    def examples(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """[(x, y), ...]: one pair for a single example, B pairs for a mini-batch."""
        return [(self.x, self.y)] if self.x.ndim == 1 else list(zip(self.x, self.y))

    def exact_arrays(self) -> dict:
        """``exact``; for a point built from arrays, each float read as its shortest decimal (0.1 is 1/10)."""
        if self.exact is not None:
            return self.exact
        arrays = {**self.parameters, "x": self.x, "y": self.y}
        return {name: np.vectorize(as_exact, otypes=[object])(np.asarray(value, dtype=float))
                for name, value in arrays.items()}


def read_json(path: str | Path) -> object:
    path = Path(path)
    return parse_json(read_text_file(path, "a JSON file", MAX_POINT_BYTES), path)


def parse_json(text: str, path: Path, parse_float=exact_float) -> object:
    """JSON text of ``path``; NaN and Infinity are refused (one line naming the file). Decimals are
    floats that keep their literal (``literals.ExactFloat``), integers are exact."""
    if not text.strip():
        raise InvalidFile(f"{path}: empty file, expected a JSON object")
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise InvalidFile(f"{path}: arrays and objects nest {depth} deep; "
                          f"at most {MAX_JSON_DEPTH} levels are read")

    def number(literal: str, convert):  # before int(), which fails on > 4300 digits in its own way
        if len(literal) > MAX_LITERAL_CHARS:
            raise ValueError(f"a number literal of {len(literal)} characters ({literal[:12]}...); at most "
                             f"{MAX_LITERAL_CHARS} are read (write large values as 1e300)")
        return convert(literal)

    try:
        return json.loads(text, parse_constant=_reject_constant,
                          parse_float=lambda literal: number(literal, parse_float),
                          parse_int=lambda literal: number(literal, int))
    except json.JSONDecodeError as error:
        raise InvalidFile(f"{path}: not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None
    except (ValueError, RecursionError) as error:
        raise InvalidFile(f"{path}: {error}") from None


def json_depth(text: str) -> int:
    """How deep arrays and objects nest in JSON ``text``, counted without recursion (strings skipped)."""
    codes = np.frombuffer(_STRING.sub('""', text).encode("utf-8", "replace"), dtype=np.uint8)
    if codes.size == 0:
        return 0
    steps = np.isin(codes, (ord("["), ord("{"))).astype(np.int64) - np.isin(codes, (ord("]"), ord("}")))
    return int(np.max(np.cumsum(steps), initial=0))


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a finite number; every value must be finite")


def load_point(path: str | Path, spec: MLP, batch: bool = False) -> Point:
    data = read_json(path)
    return parse_point(data, spec, str(path), batch)


def parse_point(data: object, spec: MLP, source: str = "point", batch: bool = False) -> Point:
    """A validated point; with ``batch`` x and y may be lists of examples (a mini-batch)."""
    if not isinstance(data, dict):
        raise InvalidPoint(f"{source}: expected a JSON object with keys {_keys(spec)}, got {type(data).__name__}")
    expected = list(spec.parameter_names) + ["x", "y"]
    for key in data:
        if key not in expected:
            hint = closest(key, expected)
            suggestion = f" (did you mean {hint!r}?)" if hint else ""
            raise InvalidPoint(f"{source}: field {key!r}: unknown key for MLP {spec.name}; "
                               f"allowed: {', '.join(expected)}{suggestion}")
    for key in expected:
        if key not in data:
            raise InvalidPoint(f"{source}: field {key!r}: missing (MLP {spec.name} needs {', '.join(expected)})")
    parameters = {
        name: finite_array(data[name], spec.parameter_shape(name), name, source)
        for name in spec.parameter_names
    }
    if _is_batch(data["x"]):
        if not batch:
            raise InvalidPoint(f"{source}: field 'x': expected one example, a list of {spec.input_width} "
                               "numbers; mini-batches (lists of examples) are read by symcheck grad")
        x, y = _batch(data["x"], data["y"], spec, source)
    else:
        x = finite_array(data["x"], (spec.input_width,), "x", source)
        y = finite_array(data["y"], (spec.output_width,), "y", source)
    target_range = get_loss_forms(spec.loss).target_range
    if target_range is not None:
        low, high = target_range
        if np.any(y < low) or np.any(y > high):
            raise InvalidPoint(f"{source}: field 'y': targets of loss {spec.loss} must lie in "
                               f"[{low:g}, {high:g}], got {y.tolist()}")
    exact = {name: exact_array(data[name]) for name in expected}
    return Point(parameters, x, y, exact)


def exact_array(value: list) -> np.ndarray:
    """A validated list (of rows) of numbers as an object array of Fractions, as written."""
    rows = value if isinstance(value[0], list) else [value]
    exact = np.empty((len(rows), len(rows[0])), dtype=object)
    for r, row in enumerate(rows):
        for c, number in enumerate(row):
            exact[r, c] = as_exact(number)
    return exact if isinstance(value[0], list) else exact[0]


def _is_batch(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(row, list) for row in value)


def _batch(xs, ys, spec: MLP, source: str) -> tuple[np.ndarray, np.ndarray]:
    """x and y as mini-batches: the same number of examples, each of the network's widths."""
    count = len(xs)
    if count > MAX_EXAMPLES:
        raise InvalidPoint(f"{source}: field 'x': a mini-batch of {count} examples; at most {MAX_EXAMPLES}")
    if not _is_batch(ys) or len(ys) != count:
        got = f"a list of length {len(ys)}" if isinstance(ys, list) else type(ys).__name__
        raise InvalidPoint(f"{source}: field 'y': x is a mini-batch of {count} examples, so y must be a list "
                           f"of {count} lists of {spec.output_width} numbers; got {got}")
    return (finite_array(xs, (count, spec.input_width), "x", source),
            finite_array(ys, (count, spec.output_width), "y", source))


def _keys(spec: MLP) -> str:
    return ", ".join(list(spec.parameter_names) + ["x", "y"])


def finite_array(value, shape: tuple[int, ...], field: str, source: str) -> np.ndarray:
    """A list (of rows) read from a file, checked to have ``shape`` and finite numbers, as floats."""
    what = (f"a list of {shape[0]} rows of {shape[1]} numbers" if len(shape) == 2
            else f"a list of {shape[0]} numbers")
    rows = value if len(shape) == 2 else [value]
    if not isinstance(value, list) or len(value) != shape[0]:
        got = f"a list of length {len(value)}" if isinstance(value, list) else type(value).__name__
        raise InvalidPoint(f"{source}: field {field!r}: expected {what}, got {got}")
    for r, row in enumerate(rows):
        length = shape[-1]
        if not isinstance(row, list) or len(row) != length:
            got = f"length {len(row)}" if isinstance(row, list) else type(row).__name__
            raise InvalidPoint(f"{source}: field {field!r}: row {r}: expected {length} numbers, got {got}")
        for c, number in enumerate(row):
            finite_number(number, f"{source}: field {field!r}: entry {_index(shape, r, c)}")
    return np.array(value, dtype=float)


def finite_number(number, where: str) -> float:
    """``number`` (read from a file) as a finite float, or one line saying why not: an integer
    of 400 digits is beyond a float's range, and ``math.isfinite`` would raise on it."""
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        raise InvalidPoint(f"{where} is {number!r}; expected a finite number")
    try:
        value = float(number)
    except OverflowError:
        raise InvalidPoint(f"{where} is an integer of {len(str(abs(number)))} digits, beyond the range of a "
                           f"float (about 1.8e308)") from None
    if not math.isfinite(value) or getattr(number, "exact", True) is None:
        raise InvalidPoint(f"{where} is {number.literal if hasattr(number, 'literal') else value}, not finite "
                           f"and nonzero as a float (floats reach about 1e-324 to 1.8e308)")
    return value


def _index(shape, r, c) -> str:
    return f"[{r}][{c}]" if len(shape) == 2 else f"[{c}]"
