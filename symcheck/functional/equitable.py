"""Functional symmetry: the coarsest equitable partition, dead units, the quotient network.

A partition of the hidden units (input and output units singletons) is
*equitable* at a parameter point when two units p, q of one class of layer i
have equal biases, equal incoming sums sum_{k in B} W_i[p, k] over every class
B of layer i-1, and equal outgoing sums sum_{r in C} W_{i+1}[r, p] over every
class C of layer i+1. Equal rows and columns (``twins``) are the special case.

Everything here works on exact numbers with NumPy, never SymPy per entry:
every parameter is turned into integers over one common scale (rationals over
their common denominator, float64 values as integer mantissas over the
smallest power of two present), so block sums are exact and "equal" means
equal -- two float64 rows whose exact sums differ by one unit in the last
place are different, whatever a rounded sum would say. Symbolic constants
(``w1``, ``beta1``) become extra integer components (one per symbol), so a
partition found for them holds for every value of the constants.

Colour refinement (start from one class per hidden layer; split by the bias,
the forward block sums and the backward block sums; repeat until no class
splits) finds the coarsest equitable partition; each round is a sort and a
``np.add.reduceat`` over the entries, so the cost is quasi-linear in the number
of parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm

import numpy as np

from ..errors import InvalidSpec
from ..model.spec import MLP
from ..induction.twins import Partition, classes_of, relabel_rows, twin_classes

INT64_BITS = 62  # headroom below 2**63 for exact int64 sums


# ------------------------------------------------------------ exact integers

def _component_vector(value, symbols: dict) -> list:
    """An exact entry as [rational part, coefficient of each symbol] (Fractions)."""
    if isinstance(value, (int, Fraction, np.integer)):
        return [Fraction(int(value)) if not isinstance(value, Fraction) else value]
    if isinstance(value, (float, np.floating)):
        return [Fraction(float(value))]
    # a SymPy number or a linear combination of symbolic constants
    if getattr(value, "is_Rational", False):
        return [Fraction(int(value.p), int(value.q))]
    if getattr(value, "is_Number", False):  # a SymPy Float: its exact binary value
        return [Fraction(float(value))]
    parts = [Fraction(0)] * (1 + len(symbols))
    for term, coefficient in value.as_coefficients_dict().items():
        if not getattr(coefficient, "is_Rational", False):
            raise InvalidSpec(f"init: entry {value} is not a rational combination of constants")
        if term == 1:
            parts[0] += Fraction(int(coefficient.p), int(coefficient.q))
        elif getattr(term, "is_Symbol", False):
            index = symbols.setdefault(term, len(symbols))
            while len(parts) <= index + 1:
                parts.append(Fraction(0))
            parts[index + 1] += Fraction(int(coefficient.p), int(coefficient.q))
        else:
            raise InvalidSpec(f"init: entry {value} is not linear in the symbolic constants")
    return parts


def _integers_from_fractions(table: list, codes: np.ndarray, shape: tuple) -> tuple:
    """Entries ``table[codes]`` (component vectors of Fractions) over one common denominator."""
    width = max(len(r) for r in table) if table else 1
    table = [r + [Fraction(0)] * (width - len(r)) for r in table]
    scale = lcm(*(q.denominator for r in table for q in r)) if table else 1
    ints = [[q.numerator * (scale // q.denominator) for q in r] for r in table] or [[0]]
    biggest = max(abs(v) for r in ints for v in r)
    # int64 when every block sum fits, else Python integers (slower, still exact); block sums
    # run along either axis (forward sums along a row, backward sums down a column of W_{i+1})
    count = max(shape)
    dtype = np.int64 if biggest.bit_length() + max(count, 1).bit_length() <= INT64_BITS else object
    return np.array(ints, dtype=dtype)[codes].reshape(shape + (width,)), Fraction(1, scale)


def _integers_from_floats(array: np.ndarray) -> tuple:
    """float64 values as exact integers over one power of two (mantissa << exponent shift)."""
    if not np.all(np.isfinite(array)):
        raise InvalidSpec("init: values must be finite (no inf or nan)")
    mantissa, exponent = np.frexp(array)
    mantissa = (mantissa * 2.0 ** 53).astype(np.int64)  # exact: 53-bit significands
    exponent = exponent.astype(np.int64) - 53
    nonzero = mantissa != 0
    if not nonzero.any():
        return np.zeros(array.shape + (1,), dtype=np.int64), Fraction(1)
    # drop each significand's trailing zero bits (float32 values have at least 29): the common
    # scale is then the smallest *used* bit, and the integers stay small enough for int64 far more often
    lowest = np.where(nonzero, mantissa & -mantissa, 1)
    zeros = np.round(np.log2(lowest.astype(np.float64))).astype(np.int64)  # exact: powers of two
    mantissa, exponent = mantissa >> zeros, exponent + zeros
    top = int((exponent + 53 - zeros)[nonzero].max())  # every |integer| < 2**(top - low)
    low = int(exponent[nonzero].min())
    shift = np.where(nonzero, exponent - low, 0)
    count = max(array.shape[:2])  # block sums run over rows (backward) and columns (forward)
    if top - low + max(count, 1).bit_length() <= INT64_BITS:
        return (mantissa << shift)[..., np.newaxis], Fraction(2) ** low
    ints = np.left_shift(mantissa.astype(object), shift.astype(object))  # Python integers, loop in C
    return ints.reshape(array.shape + (1,)), Fraction(2) ** low


def exact_array(array: np.ndarray) -> tuple:
    """(integers, scale) of a float array, value = integer * scale exactly; a 3-D array
    [units, units below, components] (a convolution's kernel positions) keeps its shape, the
    components taking the place of the trailing component axis."""
    ints, scale = _integers_from_floats(np.asarray(array, dtype=np.float64))
    return (ints.reshape(array.shape) if array.ndim == 3 else ints), scale


def exact_parameters(spec: MLP, values: dict, scales: dict | None = None, constants: set | None = None) -> dict:
    """Parameter name -> integer array with a trailing component axis, exact.

    ``values`` holds NumPy float64 arrays (compared exactly), or nested tuples
    of SymPy numbers / symbolic constants / Fractions, as ``Init.values`` gives.
    ``scales``, when given, receives name -> Fraction with value = integer * scale; ``constants``
    the symbolic constants met."""
    exact = {}
    scales = {} if scales is None else scales
    for name in spec.parameter_names:
        exact[name], scales[name] = _exact_one(values[name], spec.parameter_shape(name), constants)
    return exact


def _exact_one(value, shape: tuple, constants: set | None = None) -> tuple:
    """One parameter as (integer array with a component axis, scale)."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiu":
        return _integers_from_floats(np.asarray(value, dtype=np.float64).reshape(shape))
    symbols: dict = {}
    objects, codes = entry_codes(value, len(shape))  # tied inits repeat a few objects: convert each once
    table = [_component_vector(v, symbols) for v in objects]
    if constants is not None:
        constants.update(symbols)
    return _integers_from_fractions(table, codes, shape)


def distinct_objects(flat: list) -> tuple[list, np.ndarray]:
    """(distinct objects by identity, code of every entry), with the loop over entries in C.

    Identity, not equality: equal values held by different objects get two codes whose
    converted rows are equal, which is harmless; identity is what makes this cheap."""
    if not flat:
        return [], np.zeros(0, dtype=np.int64)
    ids = np.fromiter(map(id, flat), dtype=np.int64, count=len(flat))
    _, first, codes = np.unique(ids, return_index=True, return_inverse=True)
    return [flat[i] for i in first], codes.reshape(-1)


def entry_codes(value, rank: int) -> tuple[list, np.ndarray]:
    """``distinct_objects`` of a parameter's entries, row-major. Rows repeated as one object
    (pattern and constant inits build one row and repeat it) are read once, so the Python
    work is per distinct row, not per entry."""
    if rank != 2 or len(value) < 2:
        return distinct_objects(_flatten(value, rank))
    rows, row_codes = distinct_objects(list(value))
    if len(rows) == len(value):  # every row its own object
        return distinct_objects(_flatten(value, rank))
    objects, codes = distinct_objects([v for row in rows for v in row])
    return objects, codes.reshape(len(rows), -1)[row_codes].reshape(-1)


def _flatten(value, rank: int) -> list:
    if rank == 2:
        return [v for row in value for v in row]
    return list(value)


# -------------------------------------------------------- colour refinement

def block_sums(matrix: np.ndarray, colors: np.ndarray, count: int) -> np.ndarray:
    """(rows, count, C): for every row, the sum of its entries over each colour class."""
    if count == 1:  # one class: no reordering copy of the matrix
        return matrix.sum(axis=1, keepdims=True)
    if count == len(colors) and bool(np.all(colors == np.arange(count))):  # singletons, in order
        return matrix
    order = np.argsort(colors, kind="stable")
    sorted_colors = colors[order]
    starts = np.flatnonzero(np.r_[True, sorted_colors[1:] != sorted_colors[:-1]])
    sums = np.add.reduceat(matrix[:, order], starts, axis=1)
    if len(starts) != count:  # pragma: no cover - every colour 0..count-1 is used
        raise AssertionError("colour classes must be numbered 0..count-1")
    return sums


def _colors(spec: MLP, start: Partition | None) -> list:
    colors = [np.arange(spec.widths[0])]
    for i, n in enumerate(spec.hidden_widths, 1):
        c = np.zeros(n, dtype=np.int64)
        if start is not None:
            for label, group in enumerate(start.classes(i)):
                c[list(group)] = label
        colors.append(c)
    colors.append(np.arange(spec.widths[-1]))
    return colors


def coarsest_equitable(spec: MLP, exact: dict, start: Partition | None = None) -> Partition:
    """The coarsest equitable partition (refining ``start``, default one class per hidden layer)."""
    colors = _colors(spec, start)
    counts = [int(c.max()) + 1 if len(c) else 0 for c in colors]
    changed = True
    while changed:
        changed = False
        for i in range(1, spec.depth + 1):
            W, W_next, b = exact[f"W{i}"], exact[f"W{i + 1}"], exact[f"b{i}"]
            n = spec.widths[i]
            forward = block_sums(W, colors[i - 1], counts[i - 1]).reshape(n, -1)
            backward = block_sums(np.swapaxes(W_next, 0, 1), colors[i + 1], counts[i + 1]).reshape(n, -1)
            parts = [colors[i][:, np.newaxis], b.reshape(n, -1), forward, backward]
            dtype = object if any(p.dtype == object for p in parts) else np.int64
            labels = relabel_rows(np.concatenate([p.astype(dtype) for p in parts], axis=1))
            count = int(labels.max()) + 1
            if count != counts[i]:
                colors[i], counts[i], changed = labels, count, True
    return Partition(spec, tuple(classes_of(colors[i]) for i in range(1, spec.depth + 1)))


def twin_partition(spec: MLP, exact: dict) -> Partition:
    """Twin classes from the exact integers: ``twins.twin_classes(spec, None, exact)``."""
    return twin_classes(spec, None, exact)


def all_zero(ints: np.ndarray) -> bool:
    return bool(np.all(ints == 0))


def is_equitable(spec: MLP, exact: dict, partition: Partition) -> bool:
    """Refinement starting from ``partition`` splits nothing."""
    return coarsest_equitable(spec, exact, partition).layers == partition.layers


#: ``recheck_partition`` works entry by entry in Python: only up to this many parameters
RECHECK_PARAMETERS = 300_000


def recheck_partition(spec: MLP, values: dict) -> Partition | None:
    """The coarsest equitable partition again, by independent arithmetic: every entry a tuple
    of Python Fractions (no common scale, no NumPy integer types), block sums added in Python.

    A refutation built on ``coarsest_equitable`` is confirmed with this, so a wrong dtype or
    scale there cannot turn into a wrong verdict. None above ``RECHECK_PARAMETERS``."""
    if spec.parameter_count > RECHECK_PARAMETERS:
        return None
    symbols: dict = {}
    entries = {}
    for name in spec.parameter_names:
        value, shape = values[name], spec.parameter_shape(name)
        flat = (np.asarray(value, dtype=np.float64).reshape(-1).tolist() if isinstance(value, np.ndarray)
                else _flatten(value, len(shape)))
        objects, codes = distinct_objects(flat)
        table = [_component_vector(v, symbols) for v in objects]
        entries[name] = ([table[c] for c in codes.tolist()], shape)

    def padded(vector):  # symbols met later make vectors longer: compare on a common length
        return tuple(vector) + (Fraction(0),) * (1 + len(symbols) - len(vector))

    def total(vectors):
        out = [Fraction(0)] * (1 + len(symbols))
        for v in vectors:
            for j, x in enumerate(v):
                out[j] += x
        return tuple(out)

    widths = spec.widths
    colors = [list(range(widths[0]))] + [[0] * n for n in spec.hidden_widths] + [list(range(widths[-1]))]
    changed = True
    while changed:
        changed = False
        for i in range(1, spec.depth + 1):
            (W, (_, cols)), (Wn, (rows_next, n)), (b, _) = entries[f"W{i}"], entries[f"W{i + 1}"], entries[f"b{i}"]
            below, above = colors[i - 1], colors[i + 1]
            signatures = []
            for p in range(n):
                forward = {}
                for k in range(cols):
                    forward.setdefault(below[k], []).append(W[p * cols + k])
                backward = {}
                for r in range(rows_next):
                    backward.setdefault(above[r], []).append(Wn[r * n + p])
                signatures.append((colors[i][p], padded(b[p]),
                                   tuple(sorted((c, total(v)) for c, v in forward.items())),
                                   tuple(sorted((c, total(v)) for c, v in backward.items()))))
            labels: dict = {}
            new = [labels.setdefault(sig, len(labels)) for sig in signatures]
            if len(labels) != len(set(colors[i])):
                colors[i], changed = new, True
    layers = []
    for i in range(1, spec.depth + 1):
        groups: dict = {}
        for unit, c in enumerate(colors[i]):
            groups.setdefault(c, []).append(unit)
        layers.append(tuple(sorted(tuple(g) for g in groups.values())))
    return Partition(spec, tuple(layers))


# ------------------------------------------------------------------ dead units

#: Activations with an absorbing state: sigma(z) = 0 and sigma'(z) = 0 for every
#: z <= 0 (with the kink convention sigma'(0) = 0). Only ReLU among the named ones:
#: leaky ReLU and ELU have nonzero slope for z < 0, GELU and softplus are nonzero
#: (and have nonzero derivative) everywhere except isolated points, tanh, sigmoid
#: and identity vanish at most at one point with derivative there nonzero.
ABSORBING = frozenset({"relu"})


def dead_units(spec: MLP, exact: dict) -> tuple:
    """Per hidden layer, the units whose pre-activation is <= 0 for every input.

    Layer 1: the incoming row is 0 and the bias <= 0 (inputs take either sign, so no other
    row will do). Deeper layers: the bias is <= 0 and every weight from a live unit of the
    layer below is <= 0 -- live units output ReLU(z) >= 0, dead ones 0, so z_p <= b_p <= 0.
    Then the unit outputs 0 and, with ReLU'(0) = 0, receives no gradient; that its weights
    and bias keep their sign is ``functional.proof.prove_dead_stays_dead``'s business.
    Only for ``ABSORBING`` activations; symbolic entries (sign unknown) never count."""
    if spec.activation not in ABSORBING:
        return tuple(() for _ in spec.hidden_widths)
    result = []
    live = np.ones(spec.widths[0], dtype=bool)
    for i in range(1, spec.depth + 1):
        W, b = exact[f"W{i}"], exact[f"b{i}"]
        rows = W[:, live, :]
        if i == 1:
            blocked = ~np.any(rows != 0, axis=(1, 2))
        else:
            symbolic_row = np.any(rows[:, :, 1:] != 0, axis=(1, 2)) if rows.shape[2] > 1 else False
            blocked = np.all(rows[:, :, 0] <= 0, axis=1) & ~symbolic_row
        symbolic = np.any(b[:, 1:] != 0, axis=1) if b.shape[1] > 1 else np.zeros(len(b), dtype=bool)
        nonpositive = (b[:, 0] <= 0) & ~symbolic
        dead = blocked & nonpositive
        result.append(tuple(int(u) for u in np.flatnonzero(dead)))
        live = ~dead
    return tuple(result)


# ---------------------------------------------------------------- the quotient

@dataclass(frozen=True)
class Quotient:
    """One unit per class. ``params`` are the quotient's weights M_i[A, B] (a row's sum
    over B, the same for every row of A) and biases; ``sizes[i]`` the class sizes of layer i."""

    spec: MLP
    partition: Partition
    params: dict  # name -> float64 array (the exact sums, rounded once)
    sizes: tuple  # per layer 0..K+1: np.ndarray of class sizes


def quotient(spec: MLP, values: dict, partition: Partition, exact: dict | None = None,
             scale: dict | None = None) -> Quotient:
    """The quotient network of an equitable ``partition`` of the point ``values``; ``exact`` and
    ``scale``: ``exact_parameters`` of ``values`` when the caller has them (no second conversion)."""
    widths = tuple(len(partition.classes(i)) for i in range(spec.depth + 2))
    qspec = MLP(widths, spec.activation, spec.loss)
    params, sizes = {}, []
    for i in range(spec.depth + 2):
        sizes.append(np.array([len(g) for g in partition.classes(i)], dtype=np.int64))
    for i in spec.layers:
        reps = [g[0] for g in partition.classes(i)]
        colors = np.empty(spec.widths[i - 1], dtype=np.int64)
        for label, group in enumerate(partition.classes(i - 1)):
            colors[list(group)] = label
        if exact is None or scale is None:  # only the representatives' rows are needed: convert those
            W, W_scale = _exact_one(_rows(values[f"W{i}"], reps), (len(reps), spec.widths[i - 1]))
            b, b_scale = _exact_one(_rows(values[f"b{i}"], reps), (len(reps),))
        else:
            W, W_scale, b, b_scale = exact[f"W{i}"][reps], scale[f"W{i}"], exact[f"b{i}"][reps], scale[f"b{i}"]
        params[f"W{i}"] = _to_float(block_sums(W, colors, widths[i - 1]), W_scale)
        params[f"b{i}"] = _to_float(b, b_scale)
    return Quotient(qspec, partition, params, tuple(sizes))


def _rows(value, rows: list):
    """The given rows (entries, for a vector) of a parameter, as an array or a tuple."""
    if isinstance(value, np.ndarray):
        return value[rows]
    return tuple(value[r] for r in rows)


def _to_float(ints: np.ndarray, scale: Fraction) -> np.ndarray:
    """integer * scale, rounded once to float64."""
    if ints.shape[-1] > 1 and np.any(ints[..., 1:] != 0):
        raise InvalidSpec("quotient: give numeric values for the symbolic constants first")
    values = ints[..., 0]
    small = values.dtype != object and (values.size == 0 or int(np.abs(values).max()) < 2 ** 53)
    if small and scale.denominator < 2 ** 53 and scale.numerator == 1:
        return values.astype(float) / float(scale.denominator)  # both exact: one rounding
    if small and scale.denominator == 1 and scale.numerator & (scale.numerator - 1) == 0:
        return np.ldexp(values.astype(float), scale.numerator.bit_length() - 1)
    if small and scale.numerator == 1 and scale.denominator & (scale.denominator - 1) == 0:
        return np.ldexp(values.astype(float), 1 - scale.denominator.bit_length())
    if values.dtype == object and scale.numerator & (scale.numerator - 1) == 0 \
            and scale.denominator & (scale.denominator - 1) == 0:
        # a power-of-two scale (float inputs): int -> float rounds once (correctly, by Python's
        # int.__float__), the ldexp is exact unless it leaves the normal range
        shift = scale.numerator.bit_length() - scale.denominator.bit_length()
        try:
            rounded = np.ldexp(values.astype(float), shift)
        except OverflowError:
            rounded = None
        if rounded is not None and np.all(np.isfinite(rounded)) and (
                rounded.size == 0 or float(np.abs(rounded[rounded != 0]).min(initial=1.0)) >= 2.0 ** -1021):
            return rounded
    # Python int / int is correctly rounded: one rounding, without a Fraction per entry
    p, q = scale.numerator, scale.denominator
    return np.array([int(v) * p / q for v in values.flat], dtype=float).reshape(values.shape)


def float_parameters(spec: MLP, values: dict, exact: dict | None = None, scale: dict | None = None) -> dict:
    """The exact values as float64 arrays, each rounded once (no SymPy per entry);
    ``exact`` and ``scale``: ``exact_parameters`` of ``values`` when already computed."""
    if all(_is_float_array(values[name]) for name in spec.parameter_names):
        # float values are their own exact binary numbers: nothing to round
        return {name: np.asarray(values[name], dtype=np.float64).reshape(spec.parameter_shape(name))
                for name in spec.parameter_names}
    if exact is None or scale is None:
        scale = {}
        exact = exact_parameters(spec, values, scale)
    # float64 arrays (an .npz) are their own exact values: no round trip through the integers
    return {name: (np.asarray(values[name], dtype=np.float64).reshape(spec.parameter_shape(name))
                   if isinstance(values[name], np.ndarray) and values[name].dtype.kind == "f"
                   else _to_float(exact[name], scale[name])) for name in spec.parameter_names}


def _is_float_array(value) -> bool:
    return isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.dtype.itemsize <= 8


def numeric_start(spec: MLP, values: dict, assignment: dict | None) -> dict:
    """float64 arrays of the initial values, symbolic constants replaced by ``assignment``
    (each distinct entry substituted once, then rounded once)."""
    if not assignment:
        return float_parameters(spec, values)
    arrays = {}
    for name in spec.parameter_names:
        value, shape = values[name], spec.parameter_shape(name)
        if isinstance(value, np.ndarray):
            arrays[name] = np.asarray(value, dtype=np.float64).reshape(shape)
            continue
        objects, codes = entry_codes(value, len(shape))
        exact = [v.xreplace(assignment) if getattr(v, "free_symbols", None) else v for v in objects]
        numbers = np.array([float(Fraction(int(v.p), int(v.q))) if hasattr(v, "p") else float(v) for v in exact]
                           or [0.0])
        arrays[name] = numbers[codes].reshape(shape)
    return arrays


def constants_of(values: dict) -> list:
    """The symbolic constants of exact initial values (w1, beta1, ...), by name."""
    found = set()
    for value in values.values():
        if isinstance(value, np.ndarray):
            continue
        rank = 2 if value and isinstance(value[0], tuple) else 1
        for v in entry_codes(value, rank)[0]:
            found.update(getattr(v, "free_symbols", ()))
    return sorted(found, key=str)


def per_entry_gradient(q: Quotient, gradients: dict) -> dict:
    """The big network's gradient of one entry of each block, from the quotient's gradient.

    dL/dW_i[p, k] = (dL_Q/dM_i[A, B]) / |A| for p in A, k in B, and dL/db_i[p] =
    (dL_Q/dc_i[A]) / |A| (docs/analysis.md, "The quotient network")."""
    out = {}
    for i in q.spec.layers:
        rows = q.sizes[i].astype(float)
        out[f"W{i}"] = gradients[f"W{i}"] / rows[:, np.newaxis]
        out[f"b{i}"] = gradients[f"b{i}"] / rows
    return out


def mean_entries(q: Quotient) -> dict:
    """Quotient coordinates that move like single entries: w[A, B] = M[A, B] / |B|."""
    params = dict(q.params)
    for i in q.spec.layers:
        params[f"W{i}"] = q.params[f"W{i}"] / q.sizes[i - 1].astype(float)[np.newaxis, :]
    return params


def block_sum_weights(q: Quotient, means: dict) -> dict:
    """Back from mean entries to the quotient's weights M = |B| w."""
    params = dict(means)
    for i in q.spec.layers:
        params[f"W{i}"] = means[f"W{i}"] * q.sizes[i - 1].astype(float)[np.newaxis, :]
    return params


__all__ = ["ABSORBING", "Quotient", "block_sums", "exact_array", "coarsest_equitable", "dead_units", "exact_parameters",
           "all_zero", "constants_of", "distinct_objects", "float_parameters", "twin_partition", "recheck_partition", "entry_codes", "numeric_start", "is_equitable", "quotient", "per_entry_gradient", "mean_entries", "block_sum_weights"]
