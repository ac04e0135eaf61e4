"""NumPy reference implementation: forward pass, backprop, finite differences, the sizes
of the terms each gradient entry is summed from, and relative comparisons (training is
``oracle.training``, the update rules ``model.optimizers``). Written independently of the SymPy code so that it
can serve as an oracle for it (micrograd-style cross-validation).

Parameters are a dict ``{"W1": array (n1, d), "b1": array (n1,), ...}``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model.activation_forms import get_activation_forms
from ..model.loss_forms import get_loss_forms
from ..model.spec import MLP
from .tolerances import FINITE_DIFFERENCE_NOISE, FINITE_DIFFERENCE_STEP, Z_ROUNDING

Arrays = dict  # name -> np.ndarray


@dataclass(frozen=True)
class NumericBackprop:
    loss: float
    gradients: Arrays
    pre_activations: tuple  # z_1..z_K
    activations: tuple  # h_0..h_K
    output: np.ndarray


def matvec(W: np.ndarray, h: np.ndarray) -> np.ndarray:
    """W h, computed so that equal rows of W give bitwise-equal entries.

    ``W @ h`` goes to BLAS, which may compute some output entries in SIMD
    lanes (with fused multiply-add) and the rest in a scalar tail loop, so two
    identical rows can come out a rounding apart. Here every row goes through
    the same elementwise product and the same row reduction, the same IEEE 754
    operations in the same order, so tied units stay *exactly* tied -- which
    lets the numeric cross-checks compare tied entries with ==."""
    return np.add.reduce(W * h[np.newaxis, :], axis=1)


def transpose_matvec(W: np.ndarray, d: np.ndarray) -> np.ndarray:
    """W^T d with the same guarantee for equal columns of W: the reduction over
    axis 0 adds the rows one after another, each column in the same order."""
    return np.add.reduce(W * d[:, np.newaxis], axis=0)


def forward(spec: MLP, params: Arrays, x: np.ndarray):
    sigma = get_activation_forms(spec.activation).numeric
    zs, hs = [], [np.asarray(x, dtype=float)]
    for layer in range(1, spec.depth + 1):
        z = matvec(params[f"W{layer}"], hs[-1]) + params[f"b{layer}"]
        zs.append(z)
        hs.append(sigma(z))
    last = spec.depth + 1
    output = matvec(params[f"W{last}"], hs[-1]) + params[f"b{last}"]
    return tuple(zs), tuple(hs), output


def loss_value(spec: MLP, params: Arrays, x: np.ndarray, y: np.ndarray) -> float:
    _, _, output = forward(spec, params, x)
    return get_loss_forms(spec.loss).numeric(output, np.asarray(y, dtype=float))


def backprop(spec: MLP, params: Arrays, x: np.ndarray, y: np.ndarray) -> NumericBackprop:
    """Loss and gradients of one example by equations (1)-(3)."""
    loss = get_loss_forms(spec.loss)
    sigma_prime = get_activation_forms(spec.activation).numeric_derivative
    y = np.asarray(y, dtype=float)
    zs, hs, output = forward(spec, params, x)
    delta = loss.numeric_gradient(output, y)
    gradients = {}
    for layer in range(spec.depth + 1, 0, -1):
        gradients[f"W{layer}"] = np.outer(delta, hs[layer - 1])
        gradients[f"b{layer}"] = delta.copy()
        if layer > 1:
            delta = transpose_matvec(params[f"W{layer}"], delta) * sigma_prime(zs[layer - 2])
    ordered = {name: gradients[name] for name in spec.parameter_names}
    return NumericBackprop(loss.numeric(output, y), ordered, zs, hs, output)


def batch_gradients(spec: MLP, params: Arrays, xs, ys) -> tuple[float, Arrays]:
    """Loss and gradients summed over a batch of examples."""
    total, summed = 0.0, {name: np.zeros_like(value) for name, value in params.items()}
    for x, y in zip(xs, ys):
        result = backprop(spec, params, x, y)
        total += result.loss
        for name in summed:
            summed[name] += result.gradients[name]
    return total, summed


def finite_difference_gradients(
    spec: MLP, params: Arrays, x: np.ndarray, y: np.ndarray, step: float = FINITE_DIFFERENCE_STEP
) -> Arrays:
    """Central differences (L(θ + h e) - L(θ - h e)) / 2h, entry by entry."""
    gradients = {}
    for name, value in params.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            shifted = {k: v.copy() for k, v in params.items()}
            shifted[name][index] = value[index] + step
            upper = loss_value(spec, shifted, x, y)
            shifted[name][index] = value[index] - step
            lower = loss_value(spec, shifted, x, y)
            grad[index] = (upper - lower) / (2 * step)
        gradients[name] = grad
    return gradients


# ------------------------------------------------------------- comparisons
# Every numeric route compares entry by entry, each against its own magnitude:
# a tolerance times the largest entry anywhere lets a small entry be almost
# anything. A NaN or inf is never "close" and never "largest 0": it fails.

def relative_gaps(got, reference, floor=0.0) -> np.ndarray:
    """|got - reference| / max(|got|, |reference|, floor), entry by entry.

    ``floor`` (a number or an array shaped like the entries) is how large the
    terms that make up each entry are, so that a cancellation to nearly 0 is
    judged against its own inputs; two exact zeros give 0, anything not finite inf."""
    got, reference = np.asarray(got, dtype=float), np.asarray(reference, dtype=float)
    floor = np.broadcast_to(np.asarray(floor, dtype=float), np.broadcast(got, reference).shape)
    with np.errstate(all="ignore"):
        difference = np.abs(got - reference)
        size = np.maximum(np.maximum(np.abs(got), np.abs(reference)), floor)
        gaps = np.where(difference == 0, 0.0, difference / np.where(size == 0, 1.0, size))  # size 0: both 0
    finite = np.isfinite(got) & np.isfinite(reference) & np.isfinite(floor)
    return np.where(finite, gaps, np.inf)


def worst_gap(got, reference, floor=0.0) -> float:
    """The largest of ``relative_gaps`` (0 for no entries, inf if anything is not finite)."""
    gaps = relative_gaps(got, reference, floor)
    return float(np.max(gaps)) if gaps.size else 0.0


def largest_entry(arrays) -> float:
    """max |entry| over ``arrays``; inf if any entry is NaN or inf (Python's max(0, nan) is 0)."""
    largest = 0.0
    for array in arrays:
        values = np.abs(np.asarray(array, dtype=float))
        if values.size:
            if not np.all(np.isfinite(values)):
                return float("inf")
            largest = max(largest, float(np.max(values)))
    return largest


def gradient_magnitudes(spec: MLP, params: Arrays, x: np.ndarray, y: np.ndarray) -> tuple[float, Arrays]:
    """How large the terms are that the loss and each gradient entry are computed from.

    A floor for comparing one entry: an entry that cancels to nearly 0 (o - y with o close
    to y, a sum of weights of both signs) is judged against its own terms, never against
    another entry. Forward, T(z) = |W| T(h) + |b| and T(h) = |sigma(z)| + |sigma'(z)| T(z)
    (how far rounding in z can move h); backward, the recursion (1)-(3) on absolute values,
    starting from the terms of dL/do (o and y for mse; s and y for bce and ce, where
    s = sigmoid or softmax absorbs the size of o)."""
    activation = get_activation_forms(spec.activation)
    loss = get_loss_forms(spec.loss)
    y = np.asarray(y, dtype=float)
    zs, hs, output = forward(spec, params, x)
    last = spec.depth + 1
    with np.errstate(all="ignore"):
        terms, z_terms = [np.abs(np.asarray(x, dtype=float))], []
        for layer in range(1, last):
            z_terms.append(matvec(np.abs(params[f"W{layer}"]), terms[-1]) + np.abs(params[f"b{layer}"]))
            z = zs[layer - 1]
            terms.append(np.abs(activation.numeric(z)) + np.abs(activation.numeric_derivative(z)) * z_terms[-1])
        o_terms = matvec(np.abs(params[f"W{last}"]), terms[-1]) + np.abs(params[f"b{last}"])
        gradient = loss.numeric_gradient(output, y)
        delta = np.abs(gradient) + np.abs(y) + np.abs(gradient + y)
        if spec.loss == "mse":  # dL/do = o - y: o's own terms can cancel
            delta = delta + o_terms
            loss_size = 0.5 * float(np.sum((o_terms + np.abs(y)) ** 2))
        else:  # every term of bce and ce is >= 0: no cancellation
            loss_size = abs(float(loss.numeric(output, y)))
        sizes = {}
        for layer in range(last, 0, -1):
            sizes[f"W{layer}"] = np.outer(delta, terms[layer - 1])
            sizes[f"b{layer}"] = delta.copy()
            if layer > 1:
                z = zs[layer - 2]
                sigma_prime = np.abs(activation.numeric_derivative(z)) + _slope_change(activation, z,
                                                                                        z_terms[layer - 2])
                delta = transpose_matvec(np.abs(params[f"W{layer}"]), delta) * sigma_prime
    return loss_size, {name: sizes[name] for name in spec.parameter_names}


def _slope_change(activation, z, z_terms) -> np.ndarray:
    """How much sigma'(z) can change when rounding moves z by Z_ROUNDING of its terms: where
    sigma' is near a zero (gelu at -0.75) the error of a float sigma'(z) is this, not a part of
    sigma'(z). A jump of sigma' (a kink) is not a rounding effect: the difference taken at a
    16 times smaller step stays as large there, and then nothing is added."""
    step = Z_ROUNDING * z_terms
    wide = np.abs(activation.numeric_derivative(z + step) - activation.numeric_derivative(z - step)) / 2
    narrow = np.abs(activation.numeric_derivative(z + step / 16) - activation.numeric_derivative(z - step / 16)) / 2
    return np.where(narrow < wide / 4, wide, 0.0)


def batch_magnitudes(spec: MLP, params: Arrays, xs, ys) -> tuple[float, Arrays]:
    """``gradient_magnitudes`` summed over a batch of examples."""
    total, summed = 0.0, {name: np.zeros_like(value, dtype=float) for name, value in params.items()}
    for x, y in zip(xs, ys):
        loss_size, sizes = gradient_magnitudes(spec, params, x, y)
        total += loss_size
        for name in summed:
            summed[name] += sizes[name]
    return total, summed


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # a non-finite value gives an infinite gap
def finite_difference_gap(spec: MLP, params: Arrays, x, y, gradients: Arrays) -> float:
    """The largest relative difference, entry by entry, between ``gradients`` and central
    finite differences, each floored by the entry's terms and by the differences' own
    rounding noise: finite differences confirm a gradient, they cannot resolve below it."""
    finite = finite_difference_gradients(spec, params, x, y)
    loss_size, sizes = gradient_magnitudes(spec, params, x, y)
    noise = FINITE_DIFFERENCE_NOISE * loss_size
    return max(worst_gap(finite[name], gradients[name], np.maximum(sizes[name], noise)) for name in finite)
