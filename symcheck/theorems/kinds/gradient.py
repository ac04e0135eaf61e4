"""Claim kind ``gradient``: the gradient at one numeric point, optionally with the values claimed.

    [claim]
    kind = "gradient"
    point = "points/zero-init.json"     # a point file (relative to the theorem), or an inline table
    tolerance = 1e-6                    # optional: compare within this relative tolerance
    [claim.expected]                    # optional: the values the statement claims
    W1 = [[0.0, 0.0], [0.0, 0.0]]
    b2 = [-0.5]

The symbolic gradient (layer recursion, evaluated on its expression DAG in
60-digit arithmetic at the point as written: every number is read as the
decimal it is written as, ``literals.ExactFloat``) is computed at the point and
compared with NumPy backprop and with central finite differences; if the routes
disagree (or any value is NaN or inf) the claim is undecided. Otherwise every
claimed entry is compared with the derived value:

- exactly, in rational arithmetic, when every operation of the network is
  rational (identity / ReLU / leaky ReLU, mse) and no ``tolerance`` is given;
- else within the relative tolerance of the 60-digit value itself:
  |claimed - derived| <= tolerance * max(|claimed|, |derived|) + 1e-50 * terms,
  where "terms" is the size of the terms the entry is computed from
  (``numeric.gradient_magnitudes``) and 1e-50 of it bounds the 60-digit
  evaluation's own rounding error. The terms never widen the tolerance: a
  claimed value equals a true 0 only if it is itself below that error bound.

All equal -> proved (the verdict says exact or within tolerance), else refuted
with the first differing entry as the counterexample.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import sympy as sp

from ...oracle import numeric, replay, tolerances
from ...model.activations import get_activation, leaky_relu, relu
from ...errors import SymcheckError, closest
from ...symbolic.gradient import PRECISE_ROUNDING, evaluate_gradient
from ...exact.verdict import PROVED, REFUTED, UNDECIDED
from ...model.literals import as_exact, clipped
from ...model.point import exact_array, finite_array, finite_number, load_point, parse_point
from ..claims import ClaimKind, Verdict
from ..toml_file import locate

KINKED = ("relu", "leaky_relu")
#: one symbol per parameter, and 2 loss evaluations per parameter for finite differences
MAX_PARAMETERS = 2000


def _point(theorem, spec):
    point = theorem.options["point"]
    if isinstance(point, str):
        path = Path(point) if Path(point).is_absolute() else Path(theorem.path).parent / point
        return load_point(path, spec)
    if isinstance(point, dict):
        return parse_point(point, spec, _where(theorem, "claim.point"))
    raise theorem.error("claim.point", f"expected a point file name or a table, got {point!r}")


def _where(theorem, field_name: str) -> str:
    line = locate(theorem.text, field_name)
    return f"{theorem.path}:{line}: {field_name}" if line else f"{theorem.path}: {field_name}"


def _expected(theorem, spec) -> dict:
    """name -> (floats, the same numbers exactly as written: an object array of Fractions)."""
    expected = theorem.options.get("expected", {})
    if not isinstance(expected, dict) or not expected:
        raise theorem.error("claim.expected", "expected a non-empty table of parameter names (and loss) to values")
    allowed = list(spec.parameter_names) + ["loss"]
    values = {}
    for key, value in expected.items():
        if key not in allowed:
            hint = closest(key, allowed)
            suggestion = f" (did you mean {hint!r}?)" if hint else ""
            raise theorem.error(f"claim.expected.{key}", f"unknown key; allowed: {', '.join(allowed)}{suggestion}")
        if key == "loss":
            values[key] = (np.array(finite_number(value, _where(theorem, "claim.expected.loss"))),
                           np.array(as_exact(value), dtype=object))
        else:
            where = _where(theorem, f"claim.expected.{key}")
            values[key] = (finite_array(value, spec.parameter_shape(key), key, where), exact_array(value))
    return values


def validate(theorem, specs) -> None:
    if "point" not in theorem.options:
        raise theorem.error("claim.point", "missing; give a point file name or an inline table")
    tolerance = theorem.options.get("tolerance", tolerances.CLAIMED_VALUE)
    if "tolerance" in theorem.options and "expected" not in theorem.options:
        raise theorem.error("claim.tolerance", "only used to compare [claim.expected] values; give them, "
                                               "or leave out tolerance")
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or not 0 < tolerance < 1:
        raise theorem.error("claim.tolerance", f"expected a number in (0, 1), got {clipped(repr(tolerance))}")
    for spec in specs:
        if spec.parameter_count > MAX_PARAMETERS:
            raise theorem.error("network.widths", f"{spec.parameter_count} parameters; a gradient claim "
                                                  f"allows at most {MAX_PARAMETERS}")
        _point(theorem, spec)
        if "expected" in theorem.options:
            _expected(theorem, spec)


def run(theorem, spec) -> Verdict:
    name = f"{spec.name} {spec.activation}/{spec.loss}"
    try:
        point = _point(theorem, spec)
    except SymcheckError as error:  # the point file changed since loading
        return Verdict(UNDECIDED, f"{name}: {error}")
    evaluation = evaluate_gradient(spec, point)
    derived = {**evaluation.gradients, "loss": np.array(evaluation.loss)}
    sizes = {**evaluation.sizes, "loss": np.array(evaluation.loss_size)}
    fd_error = numeric.finite_difference_gap(spec, point.parameters, point.x, point.y, evaluation.gradients)
    evidence = [
        f"symbolic vs NumPy backprop: max relative difference per entry "
        f"{evaluation.cross_check.max_abs_difference:.1e} (tolerance {evaluation.cross_check.tolerance:.0e})",
        f"symbolic vs central finite differences: max relative difference per entry {fd_error:.1e} "
        f"(tolerance {tolerances.FINITE_DIFFERENCE:.0e})",
    ]
    data = {"loss": evaluation.loss, "grads": {k: v.tolist() for k, v in evaluation.gradients.items()},
            "numpy_difference": evaluation.cross_check.max_abs_difference,
            "finite_difference_difference": fd_error}
    if numeric.largest_entry(derived.values()) == float("inf"):
        return Verdict(UNDECIDED, f"{name}: the loss or the gradient is not a finite real number at this point",
                       tuple(evidence), data)
    at_kink = _at_kink(spec, point)
    if fd_error > tolerances.FINITE_DIFFERENCE and at_kink:
        evidence.append("finite differences are not a check here: a pre-activation sits exactly at the "
                        "activation's kink, where the one-sided derivatives differ")
    agree = evaluation.cross_check.passed and (fd_error <= tolerances.FINITE_DIFFERENCE or at_kink)
    if not agree:
        return Verdict(UNDECIDED, f"{name}: the independent routes disagree about the gradient",
                       tuple(evidence), data)
    if "expected" not in theorem.options:
        return Verdict(PROVED, f"{name}: the derived gradient agrees with NumPy and finite differences",
                       tuple(evidence), data)
    claimed = _expected(theorem, spec)
    exact = _exact_values(spec, point) if "tolerance" not in theorem.options else None
    if exact is not None:
        if _worst_exact_gap(exact, derived, sizes) > evaluation.cross_check.tolerance:
            evidence.append("exact rational replay disagrees with the symbolic gradient: verdict withheld")
            return Verdict(UNDECIDED, f"{name}: the independent routes disagree about the gradient",
                           tuple(evidence), data)
        return _compare_exactly(name, claimed, exact, evidence, data)
    tolerance = float(theorem.options.get("tolerance", tolerances.CLAIMED_VALUE))
    relative = as_exact(theorem.options.get("tolerance", tolerances.CLAIMED_VALUE))
    if evaluation.precise is None or not all(np.all(np.isfinite(size)) for size in sizes.values()):
        return Verdict(UNDECIDED, f"{name}: the 60-digit evaluation or the size of its terms is not a finite "
                                  f"real number at this point", tuple(evidence), data)
    for key, (_, values) in claimed.items():
        truth = evaluation.precise[key]
        for index in np.ndindex(values.shape):
            got, want = truth[index], values[index]
            allowed = relative * max(abs(got), abs(want)) + PRECISE_ROUNDING * Fraction(float(sizes[key][index]))
            if abs(got - want) > allowed:
                where = key + "".join(f"[{i}]" for i in index)
                evidence.insert(0, f"counterexample: {where} is {float(got)!r} (60-digit evaluation), the claim "
                                   f"says {float(want)!r}: |difference| {float(abs(got - want)):.3g} > "
                                   f"{tolerance:g} * the larger of the two + the evaluation's error bound "
                                   f"{float(PRECISE_ROUNDING * Fraction(float(sizes[key][index]))):.3g}; "
                                   f"NumPy backprop agrees with the derived value")
                return Verdict(REFUTED, f"{name}: {where} is {float(got):.6g}, not {float(want):.6g}",
                               tuple(evidence), data)
    evidence.append(f"each claimed entry is within relative tolerance {tolerance:g} of the 60-digit value at "
                    f"the point as written (plus at most {float(PRECISE_ROUNDING):.0e} of its terms, the "
                    f"evaluation's own error); floating-point verdict, not exact")
    return Verdict(PROVED, f"{name}: the claimed values of {', '.join(claimed)} match the derived gradient "
                           f"within relative tolerance {tolerance:g}", tuple(evidence), data)


def _exact_values(spec, point) -> dict | None:
    """The loss and gradient in exact rational arithmetic (``replay``), when every operation of the
    network is rational; the point's numbers are read as the decimals they are written as."""
    if replay.domain_for(spec, needs_sqrt=False) is not replay.FRACTION:
        return None
    exact = point.exact_arrays()
    params = {name: _fractions(exact[name]) for name in spec.parameter_names}
    x, y = _fractions(exact["x"]), _fractions(exact["y"])
    values = replay.gradients(spec, params, x, y, replay.FRACTION)
    # the rational losses are mse only, and for mse dL/db_{K+1} = o - y, so L = |o - y|^2 / 2
    values["loss"] = sum(e * e for e in values[f"b{spec.depth + 1}"]) / 2
    return values


def _fractions(array):
    if np.ndim(array) == 2:
        return tuple(_fractions(row) for row in array)
    return tuple(np.ravel(array))


def _worst_exact_gap(exact, derived, sizes) -> float:
    return max(numeric.worst_gap(np.array(exact[key], dtype=float), derived[key], sizes[key]) for key in derived)


def _compare_exactly(name, claimed, exact, evidence, data) -> Verdict:
    for key, (_, values) in claimed.items():
        truth = np.array(exact[key], dtype=object).reshape(values.shape)
        for index in np.ndindex(values.shape):
            got, want = truth[index], values[index]
            if got != want:
                where = key + "".join(f"[{i}]" for i in index)
                evidence.insert(0, f"counterexample: {where} is exactly {got} (exact rational replay, "
                                   f"~{float(got):.6g}), the claim says {want}")
                return Verdict(REFUTED, f"{name}: {where} is {float(got):.6g}, not {float(want):.6g}",
                               tuple(evidence), data)
    evidence.append("each claimed entry equals the derived value exactly (rational arithmetic; numbers read "
                    "as the decimals they are written as)")
    return Verdict(PROVED, f"{name}: the claimed values of {', '.join(claimed)} equal the derived gradient "
                           f"exactly", tuple(evidence), data)


def _at_kink(spec, point) -> bool:
    """A kinked activation evaluated exactly at its kink (ReLU at 0): one-sided derivatives differ."""
    if not _kinked(get_activation(spec.activation)):
        return False
    zs, _, _ = numeric.forward(spec, point.parameters, point.x)
    return any(bool(np.any(np.abs(z) < tolerances.KINK)) for z in zs)


def _kinked(activation) -> bool:
    if activation.name in KINKED:
        return True
    expression = getattr(activation, "expression", None)
    return expression is not None and expression.has(sp.Abs, relu, leaky_relu)


KIND = ClaimKind(
    name="gradient",
    description="the gradient at a numeric point (and, optionally, the values claimed for it)",
    run=run,
    options={"point": "a point file (JSON, relative to the theorem file) or an inline table",
             "expected": "a table: parameter name (or loss) -> claimed value",
             "tolerance": f"relative tolerance for the claimed values (default {tolerances.CLAIMED_VALUE:g})"},
    validate_options=validate,
)
