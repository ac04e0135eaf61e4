"""Twin classes of hidden units and the tied subspace of a partition.

Two units r, s of hidden layer i are *twins* at a parameter point when their
incoming rows W_i[r, :] = W_i[s, :], their biases b_i[r] = b_i[s] and their
outgoing columns W_{i+1}[:, r] = W_{i+1}[:, s] are equal. Grouping by exactly
these equalities gives, per hidden layer, the coarsest partition P whose tied
subspace

    S_P = { W_i constant on (class of layer i) x (class of layer i-1) blocks,
            b_i constant on classes }            (input and output units: singletons)

contains the point. No further refinement pass is needed: the condition on a
pair of layer-i units only involves the rows and columns that belong to those
units, and the column condition on W_{i+1} for layer i is the same equality
that makes W_{i+1} block-constant, so the per-layer classes are consistent
across layers by construction. S_P is the set of points fixed by permuting
units within classes, the loss is invariant under those permutations, and so
(the theorem, generalized) gradient-based updates that act entry by entry map
S_P into itself; ``analysis`` proves this per architecture.

The effective width of a layer is its number of classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import sympy as sp

from ..model.spec import MLP

Classes = tuple  # tuple[tuple[int, ...], ...]: sorted classes, ordered by first unit


@dataclass(frozen=True)
class Partition:
    """Classes of every hidden layer; ``layers[i - 1]`` belongs to hidden layer i."""

    spec: MLP
    layers: tuple[Classes, ...]

    def classes(self, layer: int) -> Classes:
        """Classes of layer 0..K+1; the input and output layers are singletons."""
        if 1 <= layer <= self.spec.depth:
            return self.layers[layer - 1]
        return tuple((unit,) for unit in range(self.spec.widths[layer]))

    def representative(self, layer: int, unit: int) -> int:
        return self._representatives(layer)[unit]

    def _representatives(self, layer: int) -> dict:
        return {unit: group[0] for group in self.classes(layer) for unit in group}

    @property
    def effective_widths(self) -> tuple[int, ...]:
        return tuple(len(classes) for classes in self.layers)

    @property
    def is_trivial(self) -> bool:
        """Every class a single unit: nothing is tied."""
        return all(len(group) == 1 for classes in self.layers for group in classes)


def full_partition(spec: MLP) -> Partition:
    """Every hidden layer one class: the invariant set of the constant-init theorem."""
    return Partition(spec, tuple((tuple(range(n)),) for n in spec.hidden_widths))


def twin_classes(spec: MLP, values: dict | None, exact: dict | None = None) -> Partition:
    """The coarsest partition whose tied subspace contains ``values``.

    Values must be exact (SymPy numbers or symbols): two entries count as equal
    only when they are the same exact value, so symbolic constants w1, w2 are
    treated as different (the partition holds for every value of the constants).
    ``exact``: ``equitable.exact_parameters`` of the values, when the caller has it -- the
    same comparison on integer arrays in NumPy, with no hashing of SymPy rows (wide networks)."""
    if exact is not None:
        return Partition(spec, tuple(_twin_layer(spec, exact, i) for i in range(1, spec.depth + 1)))
    layers = []
    for i in range(1, spec.depth + 1):
        W, b, W_next = values[f"W{i}"], values[f"b{i}"], values[f"W{i + 1}"]
        groups: dict = {}
        for r in range(spec.widths[i]):
            key = (tuple(W[r]), b[r], tuple(row[r] for row in W_next))
            groups.setdefault(key, []).append(r)
        layers.append(tuple(sorted(tuple(g) for g in groups.values())))
    return Partition(spec, tuple(layers))


def _twin_layer(spec: MLP, exact: dict, i: int) -> tuple:
    n = spec.widths[i]
    parts = [exact[f"W{i}"].reshape(n, -1), exact[f"b{i}"].reshape(n, -1),
             np.swapaxes(exact[f"W{i + 1}"], 0, 1).reshape(n, -1)]
    if all(bool(np.all(p == p[:1])) for p in parts):  # one class: no concatenated copy
        return (tuple(range(n)),)
    dtype = object if any(p.dtype == object for p in parts) else np.int64
    return classes_of(relabel_rows(np.concatenate([p.astype(dtype) for p in parts], axis=1)))


def relabel_rows(signature: np.ndarray) -> np.ndarray:
    """Colours 0..c-1 from equal rows of ``signature``, numbered by first occurrence."""
    if len(signature) and bool(np.all(signature == signature[:1])):  # one class: no sort needed
        return np.zeros(len(signature), dtype=np.int64)
    if signature.dtype == object:
        seen: dict = {}
        labels = np.array([seen.setdefault(tuple(row), len(seen)) for row in signature], dtype=np.int64)
        return labels
    first, inverse = _equal_rows(signature)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    return rank[inverse.reshape(-1)]


_MIX = np.random.default_rng(20261202).integers(1, 2**62, size=4096, dtype=np.int64) | 1


def _equal_rows(signature: np.ndarray) -> tuple:
    """(first row of each group, group of every row) of the equal rows of an int64 matrix.

    Rows are grouped by a wrapping int64 linear hash (1-D unique, no row sort), then every row is
    compared with its group's first row; on a collision (never seen, but possible) the exact
    row sort decides. Either way the groups are exactly the classes of equal rows."""
    rows = signature.reshape(len(signature), -1)
    mix = np.resize(_MIX, rows.shape[1])
    with np.errstate(over="ignore"):
        keys = (rows * mix).sum(axis=1)  # int64 arithmetic wraps: a hash, not a value
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    if np.array_equal(rows, rows[first[inverse]]):
        return first, inverse
    _, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def classes_of(colors: np.ndarray) -> tuple:
    """Colours per unit -> the classes, each a sorted tuple of units, sorted."""
    order = np.argsort(colors, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(colors[order])) + 1)
    return tuple(sorted(tuple(int(u) for u in g) for g in groups))


class TiePair(NamedTuple):
    """One identity that membership in S_P asserts: group[position] = group[reference]."""

    group: str  # a parameter name, or "state:name" for optimizer state
    layer: int  # the hidden layer whose class the pair belongs to
    property: str  # "rows", "entries" or "columns"
    position: tuple[int, ...]
    reference: tuple[int, ...]


def tie_pairs(partition: Partition, group_prefix: str = "") -> list[TiePair]:
    """Every identity of S_P, each entry compared with the entry of its class representative."""
    spec = partition.spec
    pairs = []
    for i in range(1, spec.depth + 1):
        cols = spec.widths[i - 1]
        rows_next = spec.widths[i + 1]
        for group in partition.classes(i):
            rep = group[0]
            for r in group[1:]:
                pairs += [TiePair(f"{group_prefix}W{i}", i, "rows", (r, c), (rep, c)) for c in range(cols)]
                pairs.append(TiePair(f"{group_prefix}b{i}", i, "entries", (r,), (rep,)))
                pairs += [TiePair(f"{group_prefix}W{i + 1}", i, "columns", (q, r), (q, rep))
                          for q in range(rows_next)]
    return pairs


def partition_point(partition: Partition, prefix: str = "") -> tuple[dict, tuple[sp.Symbol, ...]]:
    """A generic point of S_P: one real symbol per block of every W_i and per class of every b_i.

    Symbols are named by class representatives, e.g. W2_0_3 is the value of every
    W2[r, c] with r in the class of unit 0 and c in the class of unit 3."""
    spec = partition.spec
    params, symbols = {}, {}

    def symbol(name):
        if name not in symbols:
            symbols[name] = sp.Symbol(name, real=True)
        return symbols[name]

    for i in spec.layers:
        rows, cols = spec.weight_shape(i)
        row_rep = [partition.representative(i, r) for r in range(rows)]
        col_rep = [partition.representative(i - 1, c) for c in range(cols)]
        params[f"W{i}"] = tuple(
            tuple(symbol(f"{prefix}W{i}_{row_rep[r]}_{col_rep[c]}") for c in range(cols)) for r in range(rows)
        )
        params[f"b{i}"] = tuple(symbol(f"{prefix}b{i}_{row_rep[r]}") for r in range(rows))
    return params, tuple(symbols.values())


#: Adam's step count in a generic point: any positive integer
STEP_COUNT = sp.Symbol("t", positive=True, integer=True)


def tied_state(optimizer, partition: Partition) -> dict:
    """Optimizer state tied like the parameters: per state tensor a generic point of S_P."""
    state = {name: partition_point(partition, prefix=f"{name}_")[0] for name in optimizer.state}
    if "t" in optimizer.scalar_state:
        state["t"] = STEP_COUNT
    return state
