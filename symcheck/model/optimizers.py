"""Optimizers as update rules over nested tuples, with their state carried along.

One rule serves every number system: SymPy expressions (the symbolic proof,
with every hyperparameter a symbol), exact rationals or 60-digit numbers (the
independent replay of a counterexample) and floats (numeric training). This
module imports no SymPy (the replays and float training use it); a number
system comes in as its ``Ops``, and SymPy's, with the hyperparameters as
symbols, are in ``model.optimizer_symbols``; each rule's formula, as printed, is in
``model.update_rules``. A rule
gets the parameters, its state, its hyperparameters and a ``gradient``
function (parameters -> dL/dtheta summed over the step's examples) and returns
the new parameters and state.

Rules that act entry by entry with shared scalars (sgd, momentum, Adam, ...)
keep tied units tied; rules that treat units differently (a dropout mask,
per-unit learning rates, one-unit-at-a-time Gauss-Seidel sweeps,
additive noise) do not. Neither is assumed here: ``analysis`` proves or
refutes each rule on each architecture.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import InvalidSpec, unknown_name
from . import update_rules as rules
from .sentence import Sentence
from .spec import MLP

# Ranges used when sampling a meaningful counterexample for a symbol.
REAL, POSITIVE, UNIT, COUNT, NONNEGATIVE = "real", "positive", "unit", "count", "nonnegative"
#: an inverted-dropout mask entry with p = 1/2: 0 (dropped) or 2 (kept, scaled by 1/(1 - p))
MASK = "mask"
MASK_VALUES = (Fraction(0), Fraction(2))


@dataclass(frozen=True)
class Ops:
    """The few non-arithmetic operations a rule needs, per number system."""

    sqrt: Callable
    maximum: Callable
    number: Callable  # Fraction -> a number of this system
    total: Callable = sum  # the sum of a list of leaves (entries or whole arrays)


@dataclass
class StepInput:
    spec: MLP
    params: dict
    state: dict  # state name -> params-shaped dict, plus scalar state ("t")
    hyper: dict  # hyperparameter name -> scalar, or a structure (per-unit rates, noise)
    gradient: Callable[[dict], dict]
    ops: Ops


def tmap(fn, *values, memo=None):
    """Apply ``fn`` entry by entry to equally shaped nested tuples (leaves may also be
    NumPy arrays, which ``fn`` then handles at once).

    At a tied point most entries are the same expressions; ``memo`` makes each
    distinct SymPy argument tuple cost one evaluation, so a 128 x 128 block of
    equal entries is one update, not 16384. SymPy expressions are recognised by
    their ``free_symbols`` (this module imports no SymPy); Python numbers and arrays are
    not memoized (the floats 0.0 and -0.0 are equal keys with different results)."""
    tuples = [isinstance(v, tuple) for v in values]
    if all(tuples):
        return tuple(tmap(fn, *items, memo=memo) for items in zip(*values))
    if any(tuples):  # float training mixes arrays with rows rebuilt as tuples
        values = tuple(np.asarray(v, dtype=float) if t else v for v, t in zip(values, tuples))
    if memo is not None and hasattr(values[0], "free_symbols"):
        if values not in memo:
            memo[values] = fn(*values)
        return memo[values]
    return fn(*values)


def pmap(fn, *dicts) -> dict:
    memo: dict = {}
    return {name: tmap(fn, *(d[name] for d in dicts), memo=memo) for name in dicts[0]}


# ----------------------------------------------------------------- the rules

def gradient_step(params: dict, gradients: dict, learning_rate) -> dict:
    """theta - eta g, entry by entry, with the gradient already computed: the one gradient-descent
    step (the ``sgd`` rule), for SymPy expressions, Fractions, mpmath or float numbers and whole
    NumPy arrays alike."""
    return pmap(lambda p, g: p - learning_rate * g, params, gradients)


def _sgd(s: StepInput):
    return gradient_step(s.params, s.gradient(s.params), s.hyper["eta"]), s.state


def _momentum(s: StepInput):
    eta, mu = s.hyper["eta"], s.hyper["mu"]
    g = s.gradient(s.params)
    m = pmap(lambda mi, gi: mu * mi + gi, s.state["m"], g)
    return pmap(lambda p, mi: p - eta * mi, s.params, m), {"m": m}


def _nesterov(s: StepInput):
    eta, mu = s.hyper["eta"], s.hyper["mu"]
    g = s.gradient(s.params)
    m = pmap(lambda mi, gi: mu * mi + gi, s.state["m"], g)
    return pmap(lambda p, gi, mi: p - eta * (gi + mu * mi), s.params, g, m), {"m": m}


def _rmsprop(s: StepInput):
    eta, rho, eps = s.hyper["eta"], s.hyper["rho"], s.hyper["eps"]
    one = s.ops.number(Fraction(1))
    g = s.gradient(s.params)
    v = pmap(lambda vi, gi: rho * vi + (one - rho) * gi ** 2, s.state["v"], g)
    new = pmap(lambda p, gi, vi: p - eta * gi / (s.ops.sqrt(vi) + eps), s.params, g, v)
    return new, {"v": v}


def _adam_moments(s: StepInput):
    b1, b2 = s.hyper["beta1"], s.hyper["beta2"]
    one = s.ops.number(Fraction(1))
    g = s.gradient(s.params)
    t = s.state["t"] + 1
    m = pmap(lambda mi, gi: b1 * mi + (one - b1) * gi, s.state["m"], g)
    v = pmap(lambda vi, gi: b2 * vi + (one - b2) * gi ** 2, s.state["v"], g)
    c1, c2 = one - b1 ** t, one - b2 ** t  # bias corrections: shared scalars
    direction = pmap(lambda mi, vi: (mi / c1) / (s.ops.sqrt(vi / c2) + s.hyper["eps"]), m, v)
    return direction, {"m": m, "v": v, "t": t}


def _adam(s: StepInput):
    eta = s.hyper["eta"]
    direction, state = _adam_moments(s)
    return pmap(lambda p, d: p - eta * d, s.params, direction), state


def _adamw(s: StepInput):
    eta, lam = s.hyper["eta"], s.hyper["lam"]
    direction, state = _adam_moments(s)
    return pmap(lambda p, d: p - eta * (d + lam * p), s.params, direction), state


def _adam_l2(s: StepInput):
    """torch.optim.Adam(weight_decay=lam): the L2 term joins the gradient *before* the
    moments, so theta itself passes through the per-entry normalization."""
    lam = s.hyper["lam"]
    coupled = StepInput(s.spec, s.params, s.state, s.hyper,
                        lambda params: pmap(lambda gi, p: gi + lam * p, s.gradient(params), params), s.ops)
    return _adam(coupled)


def _weight_decay(s: StepInput):
    eta, lam = s.hyper["eta"], s.hyper["lam"]
    g = s.gradient(s.params)
    return pmap(lambda p, gi: p - eta * (gi + lam * p), s.params, g), s.state


def _clip(s: StepInput):
    eta, bound = s.hyper["eta"], s.hyper["clip"]
    g = s.gradient(s.params)
    norm = s.ops.sqrt(s.ops.total([gi ** 2 for name in g for gi in leaves(g[name])]))
    scale = bound / s.ops.maximum(bound, norm)  # one scalar for every entry
    return pmap(lambda p, gi: p - eta * scale * gi, s.params, g), s.state


def separating_masks(spec: MLP, t: int) -> dict:
    """A dropout mask sequence that separates every two units of a layer: at step t unit r is
    kept iff bit (t mod B) of r is 0, with B the bits of the widest layer. Two different units
    differ in some bit, so within B steps one is dropped while the other is kept, whatever
    the units' numbering; float training uses it to confirm a refutation."""
    bits = max(1, max(spec.hidden_widths, default=1) - 1).bit_length()
    return {(i, r): MASK_VALUES[(r >> (t % bits)) & 1 ^ 1]
            for i, n in enumerate(spec.hidden_widths, 1) for r in range(n)}


def _dropout(s: StepInput):
    eta = s.hyper["eta"]
    mask = {i: tuple(s.hyper["mask"][(i, r)] for r in range(n)) for i, n in enumerate(s.spec.hidden_widths, 1)}
    # h_i (.) m feeds W_{i+1}; that is the network with W_{i+1} diag(m), and
    # dL/dW_{i+1} = dL/d(W_{i+1} diag(m)) diag(m) by the chain rule.
    masked = dict(s.params)
    for i, m in mask.items():
        masked[f"W{i + 1}"] = tuple(tuple(w * mc for w, mc in zip(row, m)) for row in s.params[f"W{i + 1}"])
    g = dict(s.gradient(masked))
    for i, m in mask.items():
        g[f"W{i + 1}"] = tuple(tuple(gw * mc for gw, mc in zip(row, m)) for row in g[f"W{i + 1}"])
    return gradient_step(s.params, g, eta), s.state


def _per_unit_lr(s: StepInput):
    rates = s.hyper["eta_unit"]  # (layer, unit) -> rate for hidden units; "eta" for the output layer
    g = s.gradient(s.params)
    new = {}
    for name, value in s.params.items():
        layer = int(name[1:])
        rate = (lambda r: rates[(layer, r)]) if layer <= s.spec.depth else (lambda r: s.hyper["eta"])
        if name[0] == "W":
            new[name] = tuple(tuple(p - rate(r) * gi for p, gi in zip(row, grow))
                              for r, (row, grow) in enumerate(zip(value, g[name])))
        else:
            new[name] = tuple(p - rate(r) * gi for r, (p, gi) in enumerate(zip(value, g[name])))
    return new, s.state


def _gauss_seidel(s: StepInput):
    """One sweep: unit by unit (layer 1 first), recompute the gradient, update that unit's
    incoming row and bias. Every weight belongs to exactly one unit's incoming row."""
    eta = s.hyper["eta"]
    params = dict(s.params)
    for layer in s.spec.layers:
        for r in range(s.spec.widths[layer]):
            g = s.gradient(params)
            W, b = f"W{layer}", f"b{layer}"
            params[W] = tuple(
                tuple(p - eta * gi for p, gi in zip(row, g[W][q])) if q == r else row
                for q, row in enumerate(params[W])
            )
            params[b] = tuple(p - eta * g[b][q] if q == r else p for q, p in enumerate(params[b]))
    return params, s.state


def _noise(s: StepInput):
    eta, xi = s.hyper["eta"], s.hyper["xi"]
    g = s.gradient(s.params)
    return pmap(lambda p, gi, n: p - eta * gi + n, s.params, g, xi), s.state


def leaves(value):
    """The scalars of a nested tuple (a parameter or a state entry), depth first."""
    if isinstance(value, tuple):
        for item in value:
            yield from leaves(item)
    else:
        yield value


# ------------------------------------------------------------- the registry

@dataclass(frozen=True)
class Optimizer:
    name: str
    rule: Sentence  # the update, as formulas in prose (``model.update_rules``)
    apply: Callable[[StepInput], tuple]
    hyper: tuple[tuple[str, str], ...] = (("eta", POSITIVE),)  # (scalar name, range)
    state: tuple[str, ...] = ()  # per-entry state tensors
    state_ranges: tuple[tuple[str, str], ...] = ()
    examples: int = 1  # symbolic examples per step (2 for a mini-batch)
    needs_sqrt: bool = False
    per_unit_rates: bool = False
    masks: bool = False  # a dropout mask entry per hidden unit, a hyperparameter like a per-unit rate
    noise: bool = False
    scalar_state: tuple[str, ...] = ()  # shared scalars such as Adam's step count
    note: Sentence | None = None  # what the rule's verdict needs said besides the rule

    def symbol_ranges(self) -> dict:
        """Symbol-name prefix -> sampling range, for meaningful counterexamples."""
        ranges = dict(self.hyper)
        ranges.update(self.state_ranges)
        if self.per_unit_rates:
            ranges["eta_"] = POSITIVE
        if self.masks:
            ranges["mask_"] = MASK
        if "t" in self.scalar_state:
            ranges["t"] = COUNT
        return ranges

    def initial_state(self, spec: MLP, zero) -> dict:
        state = {name: {p: shaped(spec.parameter_shape(p), lambda idx: zero) for p in spec.parameter_names}
                 for name in self.state}
        for name in self.scalar_state:
            state[name] = zero
        return state


def shaped(shape, source):
    """A vector or matrix of ``shape`` as nested tuples, entry ``source(index)`` at each index."""
    if len(shape) == 1:
        return tuple(source((r,)) for r in range(shape[0]))
    return tuple(tuple(source((r, c)) for c in range(shape[1])) for r in range(shape[0]))


_ADAM_HYPER = (("eta", POSITIVE), ("beta1", UNIT), ("beta2", UNIT), ("eps", POSITIVE))

OPTIMIZERS: dict[str, Optimizer] = {o.name: o for o in (
    Optimizer("sgd", rules.SGD, _sgd),
    Optimizer("minibatch", rules.MINIBATCH, _sgd, examples=2, note=rules.MINIBATCH_NOTE),
    Optimizer("momentum", rules.MOMENTUM, _momentum, hyper=(("eta", POSITIVE), ("mu", UNIT)), state=("m",)),
    Optimizer("nesterov", rules.NESTEROV, _nesterov, hyper=(("eta", POSITIVE), ("mu", UNIT)), state=("m",)),
    Optimizer("rmsprop", rules.RMSPROP, _rmsprop,
              hyper=(("eta", POSITIVE), ("rho", UNIT), ("eps", POSITIVE)), state=("v",),
              state_ranges=(("v_", NONNEGATIVE),), needs_sqrt=True),
    Optimizer("adam", rules.ADAM, _adam,
              hyper=_ADAM_HYPER, state=("m", "v"), state_ranges=(("v_", NONNEGATIVE),),
              needs_sqrt=True, scalar_state=("t",)),
    Optimizer("weight_decay", rules.WEIGHT_DECAY, _weight_decay, hyper=(("eta", POSITIVE), ("lam", POSITIVE))),
    Optimizer("adamw", rules.ADAMW, _adamw, hyper=_ADAM_HYPER + (("lam", POSITIVE),), state=("m", "v"),
              state_ranges=(("v_", NONNEGATIVE),), needs_sqrt=True, scalar_state=("t",)),
    Optimizer("adam_l2", rules.ADAM_L2, _adam_l2,
              hyper=_ADAM_HYPER + (("lam", POSITIVE),), state=("m", "v"),
              state_ranges=(("v_", NONNEGATIVE),), needs_sqrt=True, scalar_state=("t",)),
    Optimizer("clip", rules.CLIP, _clip, hyper=(("eta", POSITIVE), ("clip", POSITIVE)), needs_sqrt=True),
    Optimizer("dropout", rules.DROPOUT, _dropout, masks=True, note=rules.DROPOUT_NOTE),
    Optimizer("per_unit_lr", rules.PER_UNIT_LR, _per_unit_lr, per_unit_rates=True),
    Optimizer("gauss_seidel", rules.GAUSS_SEIDEL, _gauss_seidel),
    Optimizer("noise", rules.NOISE, _noise, noise=True),
)}


def get_optimizer(name: str) -> Optimizer:
    if isinstance(name, Optimizer):
        return name
    try:
        return OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise InvalidSpec(unknown_name("optimizer", name, OPTIMIZERS)) from None


def summed_gradient(per_example: Callable[[dict, object, object], dict], examples, add) -> Callable:
    """parameters -> the gradient summed over ``examples`` [(x, y), ...]."""
    def gradient(params):
        grads = [per_example(params, x, y) for x, y in examples]
        if len(grads) == 1:
            return grads[0]
        return pmap(lambda *gs: add(gs), *grads)
    return gradient


def step(optimizer: Optimizer, spec: MLP, params: dict, state: dict, hyper: dict,
         gradient: Callable, ops: Ops) -> tuple[dict, dict]:
    """One update in the number system of ``ops``; returns (parameters, state)."""
    return optimizer.apply(StepInput(spec, params, state, hyper, gradient, ops))


__all__ = ["OPTIMIZERS", "Optimizer", "get_optimizer", "gradient_step", "step", "summed_gradient"]
