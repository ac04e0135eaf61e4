"""Structured matrices with symbolic dimensions, and the checks of their structure.

A quantity of the general proof is a SymPy matrix expression whose shape is
made of dimension symbols (n_i, d, m, B). The invariant set is written with
``OneMatrix``: W_1 = 1 u^T, W_i = c_i 1 1^T, W_{K+1} = v 1^T, b_i = beta_i 1.

"X has equal rows" is decided by asking SymPy for the entry X[i, j] at
*symbolic* indices i, j (``MatMul`` becomes a ``Sum`` over a dummy index,
``HadamardProduct`` a product of entries, an elementwise function its value at
the entry) and checking that the row index i does not occur in the result: an
entry formula that does not mention i is the same for every row. This is
sound (never claims structure that is absent) and it fails for a generic
``MatrixSymbol``, whose entry W[i, k] mentions i. A failure is then turned
into a refutation when possible: the expression is instantiated at small
concrete dimensions with explicit integer matrices, and two entries that the
equality decider (``exact.decide``, sigma evaluated as its stand-in tanh) finds
different there are reported.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import sympy as sp
from sympy import ImmutableMatrix, MatrixSymbol, OneMatrix
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.hadamard import HadamardProduct

from ..exact.bound_variables import canonical_bound_variables
from ..exact.decide import decide_equal
from ..exact.verdict import PROVED, REFUTED
from ..induction.invariants import EQUAL_COLUMNS, EQUAL_ROWS
from ..model.sentence import Entry, EntryFormula, EntryIndex, Equals, Rows, Sentence, joined, said
from .notation import SIGMA

CONSTANT = "constant"
ROW, COLUMN = sp.Symbol("i", integer=True, nonnegative=True), sp.Symbol("j", integer=True, nonnegative=True)


class sigma(sp.Function):
    """The uninterpreted activation: whatever holds for sigma holds for every activation."""

    nargs = 1

    def fdiff(self, argindex=1):
        return sigma_prime(self.args[0])

    def _sympystr(self, printer):
        return f"σ({printer._print(self.args[0])})"


class sigma_prime(sp.Function):
    """sigma', the derivative of the uninterpreted activation."""

    nargs = 1

    def _sympystr(self, printer):
        return f"σ'({printer._print(self.args[0])})"


def dimension(name: str) -> sp.Symbol:
    return sp.Symbol(name, integer=True, positive=True)


def scalar(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


def ones(rows, cols=1) -> OneMatrix:
    return OneMatrix(rows, cols)


def apply(function, matrix):
    """function applied to every entry of matrix (sigma.(z) in the text)."""
    return ElementwiseApplyFunction(function, matrix)


def hadamard(a, b):
    return HadamardProduct(a, b)


def equal_entry_columns(rows, name: str, batch):
    """rows x batch matrix whose every column has equal entries: 1 s^T.

    With one example (batch = 1) s is a scalar symbol and the matrix is s 1."""
    if batch == 1:
        value = scalar(name)
        return value * ones(rows, 1), value
    values = MatrixSymbol(name, batch, 1)
    return ones(rows, 1) * values.T, values


def broadcast(bias, batch):
    """A bias column added to every example of a batch: b 1_B^T (just b when B = 1)."""
    return bias if batch == 1 else bias * ones(1, batch)


def entry(matrix, row=ROW, column=COLUMN) -> sp.Expr:
    """The (row, column) entry as SymPy's ``_entry`` defines it, with sums reduced.

    ``_entry`` is called directly: the indices are generic symbols, so the bounds
    check of ``__getitem__`` (costly relational reasoning) has nothing to catch."""
    return reduce_sums(matrix._entry(row, column, expand=False))


def reduce_sums(expr: sp.Expr) -> sp.Expr:
    """Evaluate the sums an entry of a product creates, where that is exact and cheap.

    A summand that does not mention its index is multiplied by the number of
    terms; a one-term range is the summand at its only index; factors free of the
    index move out. Anything else (sum_k u_k x_k with u, x generic) stays a Sum:
    that is already its simplest form, and SymPy's general ``Sum.doit`` would
    spend its time on Gosper's algorithm to find that out."""
    return expr.replace(lambda node: isinstance(node, sp.Sum), _reduce_sum)


def _reduce_sum(node: sp.Sum) -> sp.Expr:
    body = node.function
    for variable, low, high in node.limits:  # innermost first
        if high - low == 0:
            body = body.xreplace({variable: low})
        elif variable not in body.free_symbols:
            body = body * (high - low + 1)
        else:
            outside, inside = body.as_independent(variable, as_Add=False)
            body = outside * sp.Sum(inside, (variable, low, high))
    return body


@dataclass(frozen=True)
class Claim:
    """One structural property of one quantity, and how it was decided."""

    quantity: object  # a formula (``general.notation``): z_i, dL/dW_{K+1}, ...
    property: str  # EQUAL_ROWS | EQUAL_COLUMNS | CONSTANT
    identity: Sentence  # the identity that expresses the property
    holds: bool
    entry: sp.Expr  # the entry at symbolic (i, j)
    reason: Sentence = Sentence(())  # why it does not hold
    witness: dict | None = None

    @property
    def canonical_entry(self) -> sp.Expr:
        """The entry with its bound (summation) variables renamed canonically, for printing."""
        return canonical_bound_variables(self.entry)


ROW_INDEX, COLUMN_INDEX = EntryIndex("row"), EntryIndex("column")


def identity_sentence(quantity, prop: str) -> Sentence:
    """X[i, j] = X[0, j] for every row i (EQUAL_ROWS), and its kin."""
    entry_at = Entry(quantity, ROW_INDEX, COLUMN_INDEX)
    if prop == EQUAL_ROWS:
        return said(Equals(entry_at, Entry(quantity, 0, COLUMN_INDEX)), " for every row ", ROW_INDEX,
                    " (the entry does not depend on ", ROW_INDEX, ")")
    if prop == EQUAL_COLUMNS:
        return said(Equals(entry_at, Entry(quantity, ROW_INDEX, 0)), " for every column ", COLUMN_INDEX,
                    " (the entry does not depend on ", COLUMN_INDEX, ")")
    return said(Equals(entry_at, Entry(quantity, 0, 0)), " for every ", ROW_INDEX, ", ", COLUMN_INDEX,
                " (the entry depends on neither index)")


def check_structure(quantity, matrix, prop: str, seed: int = 0) -> Claim:
    """Decide whether ``matrix`` has the structure ``prop`` for every value of every symbol;
    ``quantity`` is the formula (``general.notation``) the identity and the reason name."""
    value = entry(matrix)
    indices = {EQUAL_ROWS: (ROW,), EQUAL_COLUMNS: (COLUMN,), CONSTANT: (ROW, COLUMN)}[prop]
    mentioned = [index for index in indices if index in value.free_symbols]
    identity = identity_sentence(quantity, prop)
    if not mentioned:
        return Claim(quantity, prop, identity, True, value)
    names = joined([said("the row index ", ROW_INDEX) if index is ROW else said("the column index ", COLUMN_INDEX)
                    for index in mentioned], " and ")
    reason = said(Equals(Entry(quantity, ROW_INDEX, COLUMN_INDEX, parenthesized=False), EntryFormula(value)),
                  " depends on ") + names
    witness = find_witness(matrix, prop, seed=seed)
    if witness is not None:
        (a, va), (b, vb) = witness["entries"]
        reason += said("; refuted at ") + witness["where"] + said(": entry ", Equals(sp.Tuple(*a), va),
                                                                  " but entry ", Equals(sp.Tuple(*b), vb))
    else:
        reason += said("; no structure could be derived (and no counterexample was found)")
    return Claim(quantity, prop, identity, False, value, reason, witness)


# --------------------------------------------------------------- counterexamples

def dimensions(matrix) -> set:
    """Every dimension symbol of a matrix expression, including those only in shapes."""
    found = set()
    for node in sp.preorder_traversal(matrix):
        if isinstance(node, sp.MatrixExpr):
            found |= {n for n in node.shape if isinstance(n, sp.Symbol)}
    found |= {s for s in matrix.free_symbols
              if isinstance(s, sp.Symbol) and not isinstance(s, MatrixSymbol) and s.is_integer and s.is_positive}
    return found


def find_witness(matrix, prop: str, seed: int = 0, trials: int = 4) -> dict | None:
    """Concrete dimensions, integer matrices, rational scalars and sigma = tanh at which
    two entries that the property says are equal differ (``decide_equal`` at those values)."""
    rng = random.Random(seed)
    dims = sorted(dimensions(matrix), key=str)
    for trial in range(trials):
        sizes = {s: 2 + (trial + k) % 2 for k, s in enumerate(dims)}
        concrete = matrix.subs(sizes)
        replacements, shown, values = {}, {}, []
        for symbol in sorted(concrete.free_symbols, key=str):
            if isinstance(symbol, MatrixSymbol):
                rows, cols = (int(n) for n in symbol.shape)
                explicit = ImmutableMatrix(rows, cols, lambda r, c: rng.randint(-3, 4))
                replacements[symbol] = explicit
                shown[symbol.name] = explicit.tolist()
                numbers = Rows(tuple(tuple(int(e) for e in row) for row in explicit.tolist()))
                values.append(said(Equals(symbol, numbers)))
            elif isinstance(symbol, sp.Symbol):
                value = sp.Rational(rng.choice([-3, -2, -1, 1, 2, 3]), rng.randint(1, 4))
                replacements[symbol] = value
                shown[symbol.name] = value
                values.append(said(Equals(symbol, value)))
        explicit = sp.ImmutableMatrix(concrete.xreplace(replacements).as_explicit())
        rows, cols = explicit.shape
        pairs = []
        if prop in (EQUAL_ROWS, CONSTANT):
            pairs += [((r, c), (0, c)) for r in range(1, rows) for c in range(cols)]
        if prop in (EQUAL_COLUMNS, CONSTANT):
            pairs += [((r, c), (r, 0)) for r in range(rows) for c in range(1, cols)]
        for a, b in pairs:
            decision = decide_equal(explicit[a], explicit[b], at={})
            if decision.status == REFUTED:
                va, vb = (sp.sympify(v) for v in (decision.lhs_value, decision.rhs_value))
                where = joined([said(Equals(s, v)) for s, v in sizes.items()], ", ")
                return {
                    "where": joined([where, *values, said(Equals(SIGMA, sp.tanh))], "; "),
                    "dimensions": {str(s): v for s, v in sizes.items()},
                    "values": {k: [[int(e) for e in row] for row in v] if isinstance(v, list) else str(v)
                               for k, v in shown.items()},
                    "entries": ((a, sp.N(va, 6)), (b, sp.N(vb, 6))),
                }
    return None


# --------------------------------------------------------------- scalar identities

def identical(lhs: sp.Expr, rhs: sp.Expr) -> tuple[bool, sp.Expr]:
    """Whether lhs = rhs for every value of their symbols (``exact.decide.decide_equal``, after
    renaming bound variables), and their difference for the reason of a failure.

    No counterexample search (``trials=0``): substituting numbers for a dimension
    would resize the matrix symbols whose entries these are; only the size-bounded
    normal forms run, so a difference that is not shown to be 0 is not "identical"."""
    lhs, rhs = canonical_bound_variables(lhs), canonical_bound_variables(rhs)
    return decide_equal(lhs, rhs, trials=0).status == PROVED, lhs - rhs
