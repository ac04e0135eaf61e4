"""Initializations as exact values: every parameter group gets a matrix of
SymPy numbers or symbols, so that the base case of a proof is checked on the
very values training would start from.

- ``constant``: each group W_i, b_i starts at its own symbolic constant
  (w_i, beta_i), so one proof covers every constant value;
- ``zeros``: every parameter is 0;
- ``random``: seeded random rationals k/100, k in [-99, 99] -- exact values, so a
  refutation is an exact counterexample;
- any scheme of the catalogue (``xavier_uniform``, ``he_normal``, ``orthogonal``,
  ...; see ``symcheck.initialization.initializers``): weights drawn from it, rounded to exact
  rationals, biases 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from . import initializers
from ..errors import InvalidSpec, unknown_name
from ..exact.verdict import PROVED
from ..model.sentence import LayerQuantity, Sentence
from ..model.spec import MLP

INIT_NAMES = ("constant", "zeros", "random")
RANDOM_DENOMINATOR = 100


def random_rationals(seed: int) -> Sentence:
    """The law of the seeded random entries: k/100 for integers k in [-99, 99]."""
    k = sp.Symbol("k", integer=True)
    return Sentence(("seeded random rationals ", k / RANDOM_DENOMINATOR, ", ", k,
                     f" in [-99, 99] (seed {seed})"))


@dataclass(frozen=True)
class Init:
    name: str
    seed: int = 0

    def __post_init__(self) -> None:
        if self.name not in INIT_NAMES and not initializers.is_init_scheme(self.name):
            raise InvalidSpec(unknown_name("init", self.name, INIT_NAMES + initializers.INIT_SCHEME_NAMES))

    def values(self, spec: MLP) -> dict:
        """Parameter name -> tuple (of rows) of SymPy values."""
        if self.name not in INIT_NAMES:
            return initializers.init_values(self.name, spec, self.seed)
        rng = np.random.default_rng(self.seed)
        params = {}
        for name in spec.parameter_names:
            shape = spec.parameter_shape(name)
            params[name] = fill(shape, self._entry_source(name, rng), same=self.name in ("zeros", "constant"))
        return params

    def _entry_source(self, name: str, rng):
        if self.name == "zeros":
            return lambda: sp.S.Zero
        if self.name == "constant":
            constant = sp.Symbol(("w" if name[0] == "W" else "beta") + name[1:], real=True)
            return lambda: constant
        return lambda: random_entry(rng)

    def description(self) -> Sentence:
        """What the initial values are, as prose and formulas."""
        if self.name not in INIT_NAMES:
            return initializers.init_description(self.name, self.seed)
        if self.name == "zeros":
            return Sentence(("every weight and bias is 0",))
        if self.name == "constant":
            return Sentence(("every entry of ", LayerQuantity("W", "i"), " is ", sp.Symbol("w_i"), " and every entry of ",
                             LayerQuantity("b", "i"), " is ", sp.Symbol("beta_i"), " (symbolic constants)"))
        return random_rationals(self.seed)

    def symmetry_notes(self, verdict: str, base_refuted: bool, vacuous: bool) -> tuple[str, ...]:
        """What a proof's outcome means for this kind of initialization."""
        if self.name not in INIT_NAMES:
            return initializers.symmetry_notes(self.name, verdict, base_refuted, vacuous)
        if vacuous:
            return ()
        if self.name in ("zeros", "constant"):
            if verdict != PROVED:
                return ()
            return (f"{self.name}: every weight of a layer starts equal, so the invariants hold at step 0 and "
                    "every step preserves them: no number of gradient steps breaks the symmetry.",)
        values = 2 * (RANDOM_DENOMINATOR - 1) + 1  # k in [-99, 99]
        if base_refuted:
            return (f"random: these seeded draws break the symmetry at step 0 (the exact counterexample); "
                    f"drawn from the {values} values k/{RANDOM_DENOMINATOR}, equal entries have a small "
                    "positive probability.",)
        return (f"random: these seeded draws happen to satisfy the invariants at step 0 (equal draws from "
                f"the {values} values k/{RANDOM_DENOMINATOR} have a small positive probability); "
                "try another seed.",)

    @property
    def is_symbolic(self) -> bool:
        return self.name == "constant"


def random_entry(rng: np.random.Generator) -> sp.Rational:
    """One seeded random initial value k/100, k in [-99, 99]: exact, so a refutation is exact."""
    return sp.Rational(int(rng.integers(-99, 100)), RANDOM_DENOMINATOR)


def fill(shape, source, same: bool = False):
    """A parameter of ``shape`` (rows, cols) or (length,) whose entries come from ``source()``;
    ``same``: every call returns the same value, so one row is built and repeated (no work per
    entry on wide layers)."""
    if same:
        value = source()
        row = (value,) * shape[-1]
        return row if len(shape) == 1 else (row,) * shape[0]
    if len(shape) == 1:
        return tuple(source() for _ in range(shape[0]))
    return tuple(tuple(source() for _ in range(shape[1])) for _ in range(shape[0]))
