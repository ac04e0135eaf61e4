"""Rational points that respect what each symbol means: where the decider looks for
counterexamples.

A symbol's SymPy assumptions are its domain: positive, non-negative, negative,
non-positive, nonzero and integer (and their combinations) are drawn from; any other
(even, prime, irrational, ...) is checked on the drawn value, and a point that fails
it is refused, so no witness ever lies outside a symbol's domain.

A claim about training holds for positive learning rates, momentum and betas in
(0, 1), non-negative second moments and targets in the loss's range; a
counterexample outside those ranges would refute nothing. Dropout masks follow
``model.optimizers.separating_masks`` draw by draw, so every two units get
different masks within a few draws.
"""

from __future__ import annotations

import random
from fractions import Fraction

import sympy as sp

from ..model.losses import get_loss
from ..model.optimizers import COUNT, MASK, NONNEGATIVE, POSITIVE, REAL, UNIT, Optimizer, separating_masks
from ..model.spec import MLP

#: Ranges read from a symbol's SymPy assumptions alone (the network's ranges are the optimizer's).
NEGATIVE, NONPOSITIVE, NONZERO = "negative", "nonpositive", "nonzero"
INTEGER = "integer"  # prefixed to a sign range: "integer positive", "integer", ...
#: The assumptions the draws below honour; a value drawn for a symbol that carries any other
#: (even, prime, irrational, ...) is checked against it and the point refused if it fails.
SIGNS = (("positive", POSITIVE), ("nonnegative", NONNEGATIVE), ("negative", NEGATIVE),
         ("nonpositive", NONPOSITIVE), ("nonzero", NONZERO))

SEARCH_TRIALS = 4
#: with dropout masks, draws per separating mask pattern (the other symbols are drawn anew:
#: a ReLU unit may be inactive at one draw and active at the next)
MASK_DRAWS = 8
TARGET = "target"


class Sampler:
    """Rational values that respect what each symbol means."""

    def __init__(self, spec: MLP | None = None, optimizer: Optimizer | None = None, seed: int = 0):
        """Without a network and optimizer every symbol is an arbitrary real number, except
        where its SymPy assumptions say positive or non-negative."""
        self.ranges = optimizer.symbol_ranges() if optimizer is not None else {}
        self.targets = spec is not None and get_loss(spec.loss).target_range is not None
        self.rng = random.Random(seed)
        self.draws = 0  # points drawn so far: dropout masks cycle through separating patterns
        # a mask is a 0-or-2 choice per unit: random choices leave twins with the same mask half
        # the time, so the n-th draw uses ``separating_masks(spec, n)`` (every two units differ
        # within a few draws, whatever their numbering) and the search gets more draws
        self.spec = spec
        self.mask_bits = max(1, max(spec.hidden_widths if spec else (), default=1) - 1).bit_length()
        masks = MASK in self.ranges.values()
        self.trials = max(SEARCH_TRIALS, MASK_DRAWS * self.mask_bits) if masks else SEARCH_TRIALS

    def range_of(self, name: str) -> str:
        if name.startswith("y_") or name.startswith("y^"):
            return TARGET if self.targets else REAL
        if name in self.ranges:
            return self.ranges[name]
        for prefix, kind in self.ranges.items():
            if prefix.endswith("_") and name.startswith(prefix):
                return kind
        return REAL

    def value(self, name: str) -> Fraction:
        return self.draw(name, self.range_of(name))

    def draw(self, name: str, kind: str) -> Fraction:
        rng = self.rng
        if kind == POSITIVE:
            return Fraction(rng.randint(1, 12), 8)
        if kind == NONNEGATIVE:
            return Fraction(rng.randint(1, 16), 8)
        if kind == UNIT:
            return Fraction(rng.randint(1, 9), 10)
        if kind == COUNT:
            return Fraction(rng.randint(1, 5))
        if kind == MASK:  # mask_{layer}_{unit}
            _, layer, unit = name.rsplit("_", 2)
            return separating_masks(self.spec, self.draws)[(int(layer), int(unit))]
        if kind == TARGET:
            return Fraction(rng.randint(0, 10), 10)
        if kind.startswith(INTEGER):
            return Fraction(rng.choice(_INTEGERS[kind.removeprefix(INTEGER).strip() or REAL]))
        if kind in (NEGATIVE, NONPOSITIVE):
            return -self.draw(name, POSITIVE if kind == NEGATIVE else NONNEGATIVE)
        return Fraction(rng.choice([n for n in range(-9, 10) if n]), rng.randint(1, 9))

    def kind(self, symbol) -> str:
        """The range of ``symbol``: by its name, else by its SymPy assumptions (an expression
        simplified for a positive symbol says nothing about negative values)."""
        kind = self.range_of(symbol.name)
        if kind != REAL:
            return kind
        sign = next((range_ for assumption, range_ in SIGNS if getattr(symbol, f"is_{assumption}")), REAL)
        if not symbol.is_integer:
            return sign
        return COUNT if sign == POSITIVE else INTEGER if sign == REAL else f"{INTEGER} {sign}"

    def point(self, symbols) -> dict:
        """A value for each symbol (by name), from its range."""
        point = {s.name: self.draw(s.name, self.kind(s)) for s in sorted(symbols, key=lambda s: s.name)}
        self.draws += 1
        return point

    def point_in_domains(self, symbols) -> dict | None:
        """``point``, or None when a value does not satisfy what its symbol's assumptions say
        (one the draws cannot honour, such as even): a witness there would refute nothing."""
        point = self.point(symbols)
        by_name = {s.name: s for s in symbols}
        return point if all(honours(by_name[name], value) for name, value in point.items()) else None


#: Integers drawn per sign range.
_INTEGERS = {REAL: range(-5, 6), NONNEGATIVE: range(0, 6), NEGATIVE: range(-5, 0), NONPOSITIVE: range(-5, 1),
             NONZERO: [n for n in range(-5, 6) if n]}


def honours(symbol, value: Fraction) -> bool:
    """Whether ``value`` satisfies every assumption SymPy holds about ``symbol`` (positive,
    integer, even, prime, ...): the same question asked of the number."""
    number = sp.Rational(value.numerator, value.denominator)
    return all(getattr(number, f"is_{fact}") == holds for fact, holds in symbol.assumptions0.items()
               if holds is not None)


