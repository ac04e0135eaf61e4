"""Initialization patterns: a value per parameter group, written on the command line.

    --init "W=0,b=0"              every weight and every bias is 0
    --init "W=0,b=random"         weights 0, biases seeded random rationals
    --init "W1=random,W2=0,b=0"   a layer-specific key overrides the generic one
    --init "W=1/2,b=-0.25"        constants (integers, decimals, fractions)
    --init start.json             numeric values from a JSON file (``grad --point`` format)
    --init constant               the plain names of ``inits.Init`` keep working

The language is tiny and parsed by hand: ``KEY=VALUE`` items separated by
commas; KEY is ``W``, ``b``, ``W<i>`` or ``b<i>``; VALUE is ``random`` or a
number. Numbers become exact rationals through ``fractions.Fraction`` of the
literal (``0.1`` is 1/10, not the nearest float), so every verdict about an
init is about exactly the values the user wrote. Nothing is evaluated.

In a JSON init file the keys ``x`` and ``y`` are optional; when present they
are validated and ignored: an init says where training starts, while the data
of a proof stays symbolic (every input, every target).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import sympy as sp

from . import initializers
from ..errors import InvalidFile, InvalidSpec, closest
from ..model.model_files import read_npz
from ..model.literals import MAX_LITERAL_CHARS, as_exact, clipped
from .inits import INIT_NAMES, Init, fill, random_entry, random_rationals
from ..model.sentence import Equals, LayerQuantity, Sentence, joined
from ..model.point import MAX_POINT_BYTES, parse_json, parse_point
from ..model.spec import MLP
from ..model.textfile import read_text_file

RANDOM = "random"
_KEY = re.compile(r"^([Wb])([1-9][0-9]{0,5})?$")  # at most 999999 layers: no huge int() of a key
_DECIMAL = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_RATIO = re.compile(r"^[+-]?[0-9]+/[0-9]+$")
EXAMPLE = '"W=0,b=0"'


def parse_number(text: str, where: str) -> Fraction:
    """An exact rational from a decimal or p/q literal; nothing else is accepted."""
    if len(text) > MAX_LITERAL_CHARS:  # Python's int() refuses > 4300 digits with its own exception
        raise InvalidSpec(f"init: {where}: a number of {len(text)} characters; at most {MAX_LITERAL_CHARS}")
    if _RATIO.match(text):
        numerator, denominator = text.split("/")
        if int(denominator) == 0:
            raise InvalidSpec(f"init: {where}: {text!r} divides by zero")
        return Fraction(int(numerator), int(denominator))
    if _DECIMAL.match(text):
        exponent = re.search(r"[eE]([+-]?[0-9]+)$", text)
        if exponent and abs(int(exponent.group(1))) > 100:
            raise InvalidSpec(f"init: {where}: exponent of {text!r} is out of range (at most 100)")
        return Fraction(text)
    hint = " (did you mean 'random'?)" if closest(text, [RANDOM]) else ""
    raise InvalidSpec(
        f"init: {where}: value {clipped(text)} is neither 'random' nor a number such as 0, 0.5, -1/4{hint}"
    )


@dataclass(frozen=True)
class InitPattern:
    """Per-group values: ``items`` maps a key (``W``, ``b``, ``W2``, ...) to ``random`` or a Fraction."""

    items: tuple[tuple[str, object], ...]
    seed: int = 0

    @property
    def name(self) -> str:
        return ",".join(f"{key}={_show(value)}" for key, value in self.items)

    @property
    def random_keys(self) -> tuple[str, ...]:
        """The keys whose values are drawn at random."""
        return tuple(key for key, value in self.items if value == RANDOM)

    @property
    def is_symbolic(self) -> bool:
        return False

    def assignment(self, spec: MLP) -> dict:
        """Parameter name -> ``random`` or a Fraction; layer keys beat generic ones."""
        given = dict(self.items)
        for key in given:
            layer = key[1:]
            if layer and int(layer) > spec.depth + 1:
                raise InvalidSpec(
                    f"init: key {key!r}: MLP {spec.name} has layers 1..{spec.depth + 1} "
                    f"(parameters {', '.join(spec.parameter_names)})"
                )
        result, missing = {}, []
        for name in spec.parameter_names:
            if name in given:
                result[name] = given[name]
            elif name[0] in given:
                result[name] = given[name[0]]
            else:
                missing.append(name)
        if missing:
            groups = sorted({name[0] for name in missing})
            raise InvalidSpec(
                f"init: no value for {', '.join(missing)}; add "
                + " and ".join(f"'{g}=...'" for g in groups) + f" (e.g. {EXAMPLE})"
            )
        return result

    def values(self, spec: MLP) -> dict:
        """Exact SymPy values; random groups draw k/100 in parameter order from one
        seeded generator, as ``Init('random')`` does, so "W=random,b=random" and
        ``random`` give the same numbers."""
        rng = np.random.default_rng(self.seed)
        params = {}
        for name, value in self.assignment(spec).items():
            shape = spec.parameter_shape(name)
            if value == RANDOM:
                source = lambda: random_entry(rng)  # noqa: E731
            else:
                constant = sp.Rational(value.numerator, value.denominator)
                # one shared row: a wide constant layer costs one row, not rows x cols calls
                row = (constant,) * shape[-1]
                params[name] = row if len(shape) == 1 else (row,) * shape[0]
                continue
            params[name] = fill(shape, source)
        return params

    def description(self) -> Sentence:
        """Each key's value: a constant for every entry, or the seeded random law."""
        parts = []
        for key, value in self.items:
            name = LayerQuantity(key[0], key[1:]) if key[1:] else sp.Symbol(key)
            if value == RANDOM:
                parts.append(Sentence((name, " = ")) + random_rationals(self.seed))
            else:
                parts.append(Sentence((Equals(name, sp.Rational(value.numerator, value.denominator)),
                                       " (every entry)")))
        return joined(parts, "; ")

    def symmetry_notes(self, verdict: str, base_refuted: bool, vacuous: bool) -> tuple[str, ...]:
        return _pattern_notes(self.name, base_refuted, vacuous)


@dataclass(frozen=True)
class _FileStart:
    """What every initialization read from a file has: its path, its name, numeric values."""

    path: str
    seed: int = 0

    @property
    def name(self) -> str:
        return f"file {self.path}"

    @property
    def is_symbolic(self) -> bool:
        return False



@dataclass(frozen=True)
class FileInit(_FileStart):
    """Numeric initial values read from a JSON file, kept as exact rationals of the literals."""

    def values(self, spec: MLP) -> dict:
        path = Path(self.path)
        text = read_text_file(path, "a JSON file", MAX_POINT_BYTES)  # file errors, one line each
        data = parse_json(text, path)
        if isinstance(data, dict):
            # x and y are optional here: fill neutral ones so the shared validator
            # checks everything else (they are validated when present, then ignored)
            data = dict(data)
            data.setdefault("x", [0] * spec.input_width)
            data.setdefault("y", [0] * spec.output_width)
        exact = parse_point(data, spec, self.path).exact  # each number as the decimal it is written as
        params = {}
        for name in spec.parameter_names:
            value = exact[name]
            if name[0] == "W":
                params[name] = tuple(tuple(_rational(v) for v in row) for row in value)
            else:
                params[name] = tuple(_rational(v) for v in value)
        return params

    def description(self) -> Sentence:
        return Sentence((f"numeric values from {self.path} (read as exact rationals of the literals)",))

    def symmetry_notes(self, verdict: str, base_refuted: bool, vacuous: bool) -> tuple[str, ...]:
        return _pattern_notes(self.name, base_refuted, vacuous)


#: a 4096-wide MLP's largest matrix in float64 is 128 MiB; an init file is capped well above
#: the networks symcheck accepts
MAX_NPZ_BYTES = 512 * 2**20


@dataclass(frozen=True)
class NpzInit(_FileStart):
    """float64 initial values from a NumPy ``.npz`` archive with arrays W1, b1, ..., each value
    taken as the exact binary number it is (no rounding, no decimal reading)."""

    def arrays(self, spec: MLP) -> dict:
        """name -> float64 array, validated: every parameter present, right shape, finite."""
        path = Path(self.path)
        archive = read_npz(path, "a NumPy .npz file", MAX_NPZ_BYTES)
        arrays = {}
        for name in spec.parameter_names:
            if name not in archive:
                hint = closest(name, list(archive))
                raise InvalidFile(f"{path}: no array {name!r}; MLP {spec.name} needs "
                                  f"{', '.join(spec.parameter_names)}"
                                  + (f" (found {hint!r})" if hint else ""))
            value = archive[name]
            if value.dtype.kind not in "fiu":
                raise InvalidFile(f"{path}: array {name!r} has dtype {value.dtype}; expected float64 numbers")
            if value.shape != spec.parameter_shape(name):
                raise InvalidFile(f"{path}: array {name!r} has shape {value.shape}; expected "
                                  f"{spec.parameter_shape(name)} for MLP {spec.name}")
            value = value.astype(np.float64)
            if not np.all(np.isfinite(value)):
                raise InvalidFile(f"{path}: array {name!r} has inf or nan entries")
            arrays[name] = value
        extra = sorted(set(archive) - set(spec.parameter_names))
        if extra:
            raise InvalidFile(f"{path}: unexpected arrays {', '.join(extra)} for MLP {spec.name} "
                              f"(parameters {', '.join(spec.parameter_names)})")
        return arrays

    def values(self, spec: MLP) -> dict:
        return exact_values(self.arrays(spec))

    def description(self) -> Sentence:
        return Sentence((f"float64 arrays from {self.path} (each value the exact binary number it is)",))

    def symmetry_notes(self, verdict: str, base_refuted: bool, vacuous: bool) -> tuple[str, ...]:
        return _pattern_notes(self.name, base_refuted, vacuous)


def exact_values(arrays: dict) -> dict:
    """float64 arrays as nested tuples of Fractions (each distinct float converted once)."""
    params = {}
    for name, array in arrays.items():
        distinct, inverse = np.unique(array, return_inverse=True)
        exact = np.array([Fraction(*float(v).as_integer_ratio()) for v in distinct] or [Fraction(0)],
                         dtype=object)[inverse.reshape(array.shape)]
        params[name] = tuple(map(tuple, exact)) if array.ndim == 2 else tuple(exact)
    return params


def parse_init(text: str, seed: int = 0):
    """``Init`` for a plain name, ``FileInit`` for a JSON file, ``NpzInit`` for a NumPy .npz file,
    ``InitPattern`` for KEY=VALUE items."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidSpec(f"init: empty; give a name ({', '.join(INIT_NAMES)}), "
                          f"a pattern such as {EXAMPLE}, or a JSON file")
    text = text.strip()
    if "=" not in text:
        if text in INIT_NAMES or initializers.is_init_scheme(text):
            return Init(text, seed)
        if text.endswith(".npz"):
            return NpzInit(text, seed)
        if text.endswith(".json") or Path(text).exists():
            return FileInit(text, seed)
        hint = closest(text, INIT_NAMES + initializers.INIT_SCHEME_NAMES)
        suggestion = f" (did you mean {hint!r}?)" if hint else ""
        raise InvalidSpec(
            f"init: unknown value {clipped(text)}; allowed: {', '.join(sorted(INIT_NAMES))}, a scheme of "
            f"the catalogue (symcheck init --list), a pattern such as {EXAMPLE}, or a JSON file{suggestion}"
        )
    items, seen = [], set()
    for position, raw in enumerate(text.split(",")):
        item = raw.strip()
        if not item:
            raise InvalidSpec(f"init: item {position} of {clipped(text)} is empty; "
                              f"give KEY=VALUE items separated by commas, e.g. {EXAMPLE}")
        if item.count("=") != 1:
            raise InvalidSpec(f"init: item {clipped(item)} is not KEY=VALUE, e.g. {EXAMPLE}")
        key, value = (part.strip() for part in item.split("="))
        if not _KEY.match(key):
            hint = closest(key, ["W", "b", "W1", "W2", "b1", "b2"])
            if hint is None and key[:1].lower() in ("w", "b"):
                hint = key[0].upper() if key[0] in "wW" else "b"
            suggestion = f" (did you mean {hint!r}?)" if hint else ""
            raise InvalidSpec(f"init: key {clipped(key)} is not W, b, W<layer> or b<layer>{suggestion}")
        if key in seen:
            raise InvalidSpec(f"init: key {key!r} is given twice in {clipped(text)}")
        seen.add(key)
        items.append((key, RANDOM if value == RANDOM else parse_number(value, f"key {key!r}")))
    return InitPattern(tuple(items), seed)


def _pattern_notes(name: str, base_refuted: bool, vacuous: bool) -> tuple[str, ...]:
    """What a proof's outcome means for explicitly given initial values."""
    if vacuous or not base_refuted:
        return ()
    return (f"{name}: the initial values already differ within a hidden layer, so the symmetry "
            "is broken at step 0 (the exact counterexample).",)


def _rational(value) -> sp.Rational:
    value = as_exact(value)
    return sp.Rational(value.numerator, value.denominator)


def _show(value) -> str:
    return value if value == RANDOM else str(value)
