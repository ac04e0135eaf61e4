"""The names of the symmetry invariants, and the identities of the full tie each one names.

For an MLP with K hidden layers the invariant set S is

    W_i has equal rows     (i = 1..K)
    W_i has equal columns  (i = 2..K+1)
    b_i has equal entries  (i = 1..K)

S is the full tie of ``subspace.tie_subspace`` (every hidden layer one class), whose
generic point and identities the engine checks; an ``Invariant`` is the theorem's name
for one group of those identities ("W1: all rows equal"), carried by the engine's check of
that group (``engine.GroupCheck.invariant``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.spec import MLP
from .subspace import Identity, tie_identities
from .twins import full_partition

EQUAL_ROWS, EQUAL_COLUMNS, EQUAL_ENTRIES = "equal rows", "equal columns", "equal entries"
#: the engine's group properties of the full tie under the theorem's words
PROPERTIES = {"rows": EQUAL_ROWS, "columns": EQUAL_COLUMNS, "entries": EQUAL_ENTRIES}


@dataclass(frozen=True)
class Invariant:
    parameter: str  # "W2", "b1", ...
    property: str  # EQUAL_ROWS | EQUAL_COLUMNS | EQUAL_ENTRIES

    @property
    def layer(self) -> int:
        return int(self.parameter[1:])

    def describe(self) -> str:
        return f"{self.parameter}: all {self.property[len('equal '):]} equal"

    def meaning(self) -> str:
        """What the invariant says about hidden units, in words."""
        if self.property == EQUAL_ROWS:
            return f"the units of hidden layer {self.layer} have the same incoming weights"
        if self.property == EQUAL_COLUMNS:
            return f"every unit of layer {self.layer} reads the units of layer {self.layer - 1} with one weight"
        return f"the units of hidden layer {self.layer} have the same bias"


def symmetry_invariants(spec: MLP) -> tuple[Invariant, ...]:
    """The theorem's invariants, ordered by layer."""
    K = spec.depth
    found = []
    for i in range(1, K + 2):
        if i <= K:
            found.append(Invariant(f"W{i}", EQUAL_ROWS))
        if i >= 2:
            found.append(Invariant(f"W{i}", EQUAL_COLUMNS))
        if i <= K:
            found.append(Invariant(f"b{i}", EQUAL_ENTRIES))
    return tuple(found)


def invariant_of(identity: Identity) -> Invariant:
    """The invariant an identity of the full tie belongs to ("W2", "columns" -> W2: all columns equal)."""
    return Invariant(identity.group, PROPERTIES[identity.property])


def invariant_identities(spec: MLP) -> dict[Invariant, tuple[Identity, ...]]:
    """The identities of the full tie, grouped under the theorem's invariants (in their order)."""
    grouped: dict = {invariant: [] for invariant in symmetry_invariants(spec)}
    for identity in tie_identities(full_partition(spec)):
        grouped[invariant_of(identity)].append(identity)
    return {invariant: tuple(found) for invariant, found in grouped.items()}


def entry(value, position):
    for index in position:
        value = value[index]
    return value


__all__ = ["EQUAL_COLUMNS", "EQUAL_ENTRIES", "EQUAL_ROWS", "Invariant", "PROPERTIES", "entry",
           "invariant_identities", "invariant_of", "symmetry_invariants"]
