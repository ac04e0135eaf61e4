"""A subspace of (parameters, optimizer state): a generic point plus the identities that define it.

Every claim the engine checks has this shape. The generic point has one real
symbol per degree of freedom; an identity says ``group[position] =
group[reference]`` (or ``= 0``) and holds at every point of the subspace.
Optimizer state (momentum, moments) lives in the same subspace as the
parameters: ``Subspace.state`` is the generic point again under fresh names
(``m_`` + name), and ``Subspace.identities_with_state`` repeats the identities
on every state tensor (group ``"m:W1"``).

The subspaces used:

- ``tie_subspace(partition)``: S_P of a partition of the hidden units (twins,
  ``twins``): W_i constant on (class x class) blocks, b_i constant on classes,
  identities "entry = entry of its class representative". The full tie (every
  hidden layer one class) is the invariant set of the constant-init theorem;
  with ``theorem_names`` its symbols read as in the theorem (W_1 = 1 u^T,
  W_i = c_i 1 1^T, W_{K+1} = v 1^T, b_i = beta_i 1, b_{K+1} free). With no
  hidden layer (K = 0) every entry is free.
- ``dead_subspace(spec)``: every weight and hidden bias 0, the output bias free;
  the identities say each of them stays 0.
- ``constant_subspace(spec)``: K = 0, every weight one symbol w and every bias
  beta, with whatever identities a claim compares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, NamedTuple

import sympy as sp

from ..model.spec import MLP
from .twins import Partition

#: Adam's step count in a generic point: any positive integer
STEP_COUNT = sp.Symbol("t", positive=True, integer=True)


class Identity(NamedTuple):
    """``group[position] = group[reference]``, or ``group[position] = 0`` when reference is None."""

    group: str  # "W1", or "m:W1" for optimizer state m of W1
    layer: int
    property: str  # rows | columns | entries (twins), zero (dead network), weights (K = 0),
    # row sums | column sums (equitable partitions: position and reference are tuples of entries)
    position: tuple[int, ...]
    reference: tuple[int, ...] | None


@dataclass(frozen=True)
class Subspace:
    """A generic point of a subspace of parameters and the identities that define the subspace."""

    spec: MLP
    parameters: dict  # name -> entries (tuples of SymPy expressions)
    symbols: tuple[sp.Symbol, ...]  # the free symbols of ``parameters``, in order
    description: tuple[str, ...]  # one line per parameter group, e.g. "W1 = 1 u^T: every row is u = ..."
    #: builds the identities on the parameters when they are first asked for: a wide network's
    #: tie has one identity per entry, and its class-level proof never lists them
    make_identities: Callable[[], tuple[Identity, ...]] = field(repr=False, compare=False)

    @cached_property
    def identities(self) -> tuple[Identity, ...]:
        """The identities on the parameters."""
        return tuple(self.make_identities())

    def renamed(self, prefix: str) -> dict:
        """The generic point again with every symbol renamed ``prefix + name`` (a new point of
        the same subspace). Tied entries repeat row objects: each distinct object is renamed once."""
        mapping = {s: sp.Symbol(prefix + s.name, **s.assumptions0) for s in self.symbols}
        memo: dict = {}

        def rename(value):
            key = id(value)
            if key not in memo:
                if isinstance(value, tuple):
                    memo[key] = (tuple(rename(item) for item in value), value)  # keep value alive
                else:
                    memo[key] = (value.xreplace(mapping), value)
            return memo[key][0]

        return {name: rename(value) for name, value in self.parameters.items()}

    def state(self, optimizer) -> dict:
        """Optimizer state in the subspace too: per state tensor a generic point, named ``m_...``."""
        state = {name: self.renamed(f"{name}_") for name in optimizer.state}
        if "t" in optimizer.scalar_state:
            state["t"] = STEP_COUNT
        return state

    def identities_with_state(self, optimizer) -> tuple[Identity, ...]:
        """The identities on the parameters, then the same on every state tensor."""
        found = list(self.identities)
        for name in optimizer.state:
            found += [i._replace(group=f"{name}:{i.group}") for i in self.identities]
        return tuple(found)


# ------------------------------------------------------------------- S_P

def tie_subspace(partition: Partition, theorem_names: bool = False) -> Subspace:
    """S_P: one real symbol per block of every W_i and per class of every b_i.

    Symbols are named by class representatives, e.g. W2_0_3 is the value of every W2[r, c]
    with r in the class of unit 0 and c in the class of unit 3; ``theorem_names`` (the full
    tie only) names them as the constant-init theorem does (u, c_i, v, beta_i)."""
    spec = partition.spec
    names = _theorem_name if theorem_names else _block_name
    params, symbols = {}, {}

    def symbol(name):
        if name not in symbols:
            symbols[name] = sp.Symbol(name, real=True)
        return symbols[name]

    for i in spec.layers:
        rows, cols = spec.weight_shape(i)
        row_reps, col_reps = partition.representatives(i), partition.representatives(i - 1)
        col_rep = [col_reps[c] for c in range(cols)]
        rows_of: dict = {}  # the rows of one class are one object: no work per tied entry
        for rep in (row_reps[r] for r in range(rows)):
            if rep not in rows_of:
                rows_of[rep] = tuple(symbol(names(spec, "W", i, rep, col_rep[c])) for c in range(cols))
        params[f"W{i}"] = tuple(rows_of[row_reps[r]] for r in range(rows))
        params[f"b{i}"] = tuple(symbol(names(spec, "b", i, row_reps[r], None)) for r in range(rows))
    description = (_theorem_description(spec, params) if theorem_names else
                   ("tied subspace with one symbol per block: " + ", ".join(symbols),))
    return Subspace(spec, params, tuple(symbols.values()), description, lambda: tie_identities(partition))


def _block_name(spec: MLP, kind: str, i: int, row: int, col: int | None) -> str:
    return f"W{i}_{row}_{col}" if kind == "W" else f"b{i}_{row}"


def _theorem_name(spec: MLP, kind: str, i: int, row: int, col: int | None) -> str:
    K = spec.depth
    if K == 0 or (kind == "b" and i == K + 1):  # nothing tied: every entry its own symbol
        return _block_name(spec, kind, i, row, col)
    if kind == "b":
        return f"beta_{i}"
    if i == 1:
        return f"u_{col}"
    return f"v_{row}" if i == K + 1 else f"c_{i}"


def _theorem_description(spec: MLP, params: dict) -> tuple[str, ...]:
    K, lines = spec.depth, []
    for i in spec.layers:
        rows, cols = spec.weight_shape(i)
        W, b = params[f"W{i}"], params[f"b{i}"]
        if K == 0:
            lines.append(f"W{i} free ({rows}x{cols} symbols)")
        elif i == 1:
            lines.append(f"W{i} = 1 u^T: every row is u = ({', '.join(map(str, W[0]))})")
        elif i == K + 1:
            lines.append(f"W{i} = v 1^T: every column is v = ({', '.join(str(row[0]) for row in W)})")
        else:
            lines.append(f"W{i} = {W[0][0]} 1 1^T: every entry is {W[0][0]}")
        if i <= K:
            lines.append(f"b{i} = {b[0]} 1: every entry is {b[0]}")
        else:
            lines.append(f"b{i} free: ({', '.join(map(str, b))})")
    return tuple(lines)


def tie_identities(partition: Partition) -> list[Identity]:
    """Every identity of S_P, each entry compared with the entry of its class representative."""
    spec = partition.spec
    found = []
    for i in range(1, spec.depth + 1):
        cols = spec.widths[i - 1]
        rows_next = spec.widths[i + 1]
        for group in partition.classes(i):
            rep = group[0]
            for r in group[1:]:
                found += [Identity(f"W{i}", i, "rows", (r, c), (rep, c)) for c in range(cols)]
                found.append(Identity(f"b{i}", i, "entries", (r,), (rep,)))
                found += [Identity(f"W{i + 1}", i, "columns", (q, r), (q, rep)) for q in range(rows_next)]
    return found


def tie_count(partition: Partition) -> int:
    """The number of identities of S_P, without building them (wide networks)."""
    spec, count = partition.spec, 0
    for i in range(1, spec.depth + 1):
        per_unit = spec.widths[i - 1] + 1 + spec.widths[i + 1]
        count += sum(len(group) - 1 for group in partition.classes(i)) * per_unit
    return count


# ------------------------------------------------------------ dead network

def dead_subspace(spec: MLP) -> Subspace:
    """Every W_i and b_1..b_K exactly 0, the output bias free; each of those entries stays 0."""
    last = f"b{spec.depth + 1}"
    params, identities = {}, []
    for name in spec.parameter_names:
        shape = spec.parameter_shape(name)
        if name == last:
            params[name] = tuple(sp.Symbol(f"{name}_{r}", real=True) for r in range(shape[0]))
        elif len(shape) == 2:
            params[name] = tuple(tuple(sp.S.Zero for _ in range(shape[1])) for _ in range(shape[0]))
            identities += [Identity(name, int(name[1:]), "zero", (r, c), None)
                           for r in range(shape[0]) for c in range(shape[1])]
        else:
            params[name] = tuple(sp.S.Zero for _ in range(shape[0]))
            identities += [Identity(name, int(name[1:]), "zero", (r,), None) for r in range(shape[0])]
    description = (f"every W_i and b1..b{spec.depth} = 0; {last} free",)
    return Subspace(spec, params, params[last], description, lambda: identities)


# ------------------------------------------------------ no hidden layer (K = 0)

def constant_subspace(spec: MLP, identities=()) -> Subspace:
    """K = 0 started at one constant: every weight w, every bias beta; ``identities`` compare weights."""
    rows, cols = spec.weight_shape(1)
    w, beta = sp.Symbol("w", real=True), sp.Symbol("beta", real=True)
    params = {"W1": tuple(tuple(w for _ in range(cols)) for _ in range(rows)), "b1": tuple(beta for _ in range(rows))}
    return Subspace(spec, params, (w, beta), ("W1 = w 1 1^T", "b1 = beta 1"), lambda: identities)


__all__ = ["Identity", "STEP_COUNT", "Subspace", "constant_subspace", "dead_subspace", "tie_count", "tie_identities",
           "tie_subspace"]
