"""The symmetry invariants and the tied parametrization of the set they define.

For an MLP with K hidden layers the invariant set S is

    W_i has equal rows     (i = 1..K)
    W_i has equal columns  (i = 2..K+1)
    b_i has equal entries  (i = 1..K)

S is a linear subspace. Its generic point (``tied_point``) has one symbol per
remaining degree of freedom: W_1 = 1 u^T, W_i = c_i 1 1^T for middle layers,
W_{K+1} = v 1^T, b_i = beta_i 1, b_{K+1} free. Checking an invariant on a
parameter value means checking the identities "entry = its reference entry"
(row r against row 0, column c against column 0, entry r against entry 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from ..exact.decide import Decision, decide_equal
from ..exact.identities import Decided
from ..exact.sampling import Sampler

from ..exact.verdict import PROVED, REFUTED, UNDECIDED
from ..model.spec import MLP

EQUAL_ROWS, EQUAL_COLUMNS, EQUAL_ENTRIES = "equal rows", "equal columns", "equal entries"


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

    def pairs(self, value) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        """(position, reference position) of every identity this invariant asserts."""
        if self.property == EQUAL_ENTRIES:
            return [((r,), (0,)) for r in range(1, len(value))]
        rows, cols = len(value), len(value[0])
        if self.property == EQUAL_ROWS:
            return [((r, c), (0, c)) for r in range(1, rows) for c in range(cols)]
        return [((r, c), (r, 0)) for r in range(rows) for c in range(1, cols)]


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


def entry(value, position):
    for index in position:
        value = value[index]
    return value


@dataclass(frozen=True)
class Failure:
    """The first identity of an invariant that does not hold."""

    position: tuple[int, ...]
    reference: tuple[int, ...]
    lhs: sp.Expr
    rhs: sp.Expr
    decision: Decision


@dataclass(frozen=True)
class InvariantCheck:
    """The outcome of checking one invariant on one parameter value."""

    invariant: Invariant
    status: str  # proved | refuted | undecided
    identities: int  # how many identities were checked
    methods: tuple[tuple[str, int], ...]  # (method, count), sorted
    failure: Failure | None = None
    #: every identity with its SymPy sides, for independent kernels (``symcheck.kernels``)
    decided: tuple[Decided, ...] = field(default=(), repr=False, compare=False)
    #: what independent kernels said about them (empty unless one was asked)
    kernels: tuple = ()


def check_invariant(invariant: Invariant, value, seed: int = 0) -> InvariantCheck:
    """Decide every identity the invariant asserts about ``value``; stop at the first refuted one."""
    methods: dict[str, int] = {}
    undecided = None
    decided = []
    for position, reference in invariant.pairs(value):
        lhs, rhs = entry(value, position), entry(value, reference)
        decision = decide_equal(lhs, rhs, Sampler(seed=seed))
        decided.append(Decided(position, reference, lhs, rhs, decision))
        methods[decision.method] = methods.get(decision.method, 0) + 1
        failure = Failure(position, reference, lhs, rhs, decision)
        if decision.status == REFUTED:
            return InvariantCheck(invariant, REFUTED, len(decided), tuple(sorted(methods.items())), failure,
                                  tuple(decided))
        if decision.status == UNDECIDED and undecided is None:
            undecided = failure
    status = UNDECIDED if undecided else PROVED
    return InvariantCheck(invariant, status, len(decided), tuple(sorted(methods.items())), undecided,
                          tuple(decided))


@dataclass(frozen=True)
class TiedPoint:
    """A generic point of the invariant set: parameters plus the symbols they use."""

    parameters: dict
    symbols: tuple[sp.Symbol, ...]
    description: tuple[str, ...]  # one line per parameter group, e.g. "W1 = 1 u^T"


def tied_point(spec: MLP) -> TiedPoint:
    K = spec.depth
    params, symbols, lines = {}, [], []
    for i in spec.layers:
        rows, cols = spec.weight_shape(i)
        name = f"W{i}"
        if K == 0:  # no hidden layer: nothing is tied, every entry is free
            free = [[sp.Symbol(f"W1_{r}_{c}", real=True) for c in range(cols)] for r in range(rows)]
            params[name] = tuple(map(tuple, free))
            symbols += [s for row in free for s in row]
            lines.append(f"{name} free ({rows}x{cols} symbols)")
        elif i == 1:
            u = [sp.Symbol(f"u_{c}", real=True) for c in range(cols)]
            params[name] = (tuple(u),) * rows  # one row object, repeated: no work per entry
            symbols += u
            lines.append(f"{name} = 1 u^T: every row is u = ({', '.join(map(str, u))})")
        elif i == K + 1:
            v = [sp.Symbol(f"v_{r}", real=True) for r in range(rows)]
            params[name] = tuple((v[r],) * cols for r in range(rows))
            symbols += v
            lines.append(f"{name} = v 1^T: every column is v = ({', '.join(map(str, v))})")
        else:
            c_i = sp.Symbol(f"c_{i}", real=True)
            params[name] = ((c_i,) * cols,) * rows
            symbols.append(c_i)
            lines.append(f"{name} = {c_i} 1 1^T: every entry is {c_i}")
        bias = f"b{i}"
        if i <= K:
            beta = sp.Symbol(f"beta_{i}", real=True)
            params[bias] = (beta,) * rows
            symbols.append(beta)
            lines.append(f"{bias} = {beta} 1: every entry is {beta}")
        else:
            free_bias = [sp.Symbol(f"b{i}_{r}", real=True) for r in range(rows)]
            params[bias] = tuple(free_bias)
            symbols += free_bias
            lines.append(f"{bias} free: ({', '.join(map(str, free_bias))})")
    return TiedPoint(params, tuple(symbols), tuple(lines))


__all__ = [
    "EQUAL_COLUMNS", "EQUAL_ENTRIES", "EQUAL_ROWS", "Failure", "Invariant", "InvariantCheck",
    "PROVED", "REFUTED", "TiedPoint", "UNDECIDED", "check_invariant", "symmetry_invariants",
    "tied_point",
]
