"""Exact claims about functional ties and dead units, decided by the one step engine
(``engine.prove_invariance``) on problems whose size does not depend on the network's width.

**Equitable partitions persist** (docs/analysis.md, "Functional symmetry"). At an
equitable point every unit of a class has the same z, h and delta for any data,
so dL/dW_i[p, k] = delta_A h_B is the same for every entry of a block A x B
(the quotient lemma, ``equitable.per_entry_gradient``). What remains is a
property of the update rule: entries of one block get equal gradients and
carry equal optimizer state; does the rule keep the block's row and column sums
equal and its state equal? That is decided at the generic equitable point of
the *probe network* 1-3-3-m (one class per hidden layer; the middle block a
3 x 3 matrix with equal row and column sums and five free symbols), with the
network's own activation and loss, every hyperparameter and datum symbolic.
An update rule that reads the network's structure (dropout masks, per-unit
rates, unit-by-unit sweeps, noise) is not a rule on blocks; there the claim is
decided at the given point only, or left undecided.

**Dead units stay dead.** For ReLU, a unit with zero weights from live units and
bias b <= 0 has z = b, so sigma(z) = sigma'(z) = 0 and every gradient of its
row and bias is 0; what the optimizer does with a zero gradient and zero state
decides the rest: the row must stay 0, the state 0, and the bias must move by
the zero-gradient update b' = c b with c >= 0 (c = 1 - eta lam under weight
decay). Decided on the probe network 1-2-1 at the given dead biases.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp

from ..exact.evaluation import evaluate as fast_evaluate
from ..oracle import replay
from ..exact.verdict import PROVED, REFUTED, UNDECIDED
from ..model.optimizer_symbols import SYMPY_OPS, hyper_symbols
from ..model.optimizers import Ops, Optimizer, get_optimizer, leaves, step
from ..exact.verdict import combine
from ..model.spec import MLP
from ..exact.decide import decide_equal, show_value
from ..exact.sampling import Sampler
from ..induction.engine import Induction, prove_invariance
from ..induction.subspace import Identity, Subspace, tie_subspace
from ..induction.twins import Partition
from ..symbolic.backprop import backprop, data_symbols

#: optimizers whose rule reads the network's structure: no block-level argument
STRUCTURAL = frozenset({"dropout", "per_unit_lr", "gauss_seidel", "noise"})
#: per-entry check at the given point (exact values, symbolic data) up to this many parameters
POINT_CHECK_PARAMETERS = 200


def is_structural(optimizer: Optimizer) -> bool:
    return optimizer.name in STRUCTURAL or optimizer.per_unit_rates or optimizer.noise


def sum_identities(partition: Partition, prefix: str = "") -> list[Identity]:
    """Membership in the equitable set of ``partition``: per class, against its representative,
    equal biases, equal row sums over every class of the layer below, equal column sums over
    every class of the layer above."""
    spec = partition.spec
    identities = []
    for i in range(1, spec.depth + 1):
        below, above = partition.classes(i - 1), partition.classes(i + 1)
        for group in partition.classes(i):
            p = group[0]
            for q in group[1:]:
                identities += [Identity(f"{prefix}W{i}", i, "row sums", tuple((q, k) for k in B),
                                        tuple((p, k) for k in B)) for B in below]
                identities.append(Identity(f"{prefix}b{i}", i, "class biases", (q,), (p,)))
                identities += [Identity(f"{prefix}W{i + 1}", i, "column sums", tuple((r, q) for r in C),
                                        tuple((r, p) for r in C)) for C in above]
    return identities


# ------------------------------------------------------- equitable persistence

@dataclass(frozen=True)
class Probe:
    """A claim decided on a small stand-in instead of the network itself (the update rule on one
    block of an equitable point, ``prove_rule_keeps_blocks``; a small convolution network,
    ``conv_proof``): its verdict, each identity decided and, when refuted, an exact counterexample
    replayed independently."""

    verdict: str
    checks: tuple  # (description, status, method)
    counterexample: dict | None = None


PROBE_SYMBOLS = ("a", "b", "c", "d", "s")


def probe_block() -> tuple:
    """A generic 3 x 3 block with equal row sums and equal column sums (five free symbols):
    the shape of a block A x B of an equitable point, whose entries differ."""
    a, b, c, d, s = sp.symbols(PROBE_SYMBOLS, real=True)
    return ((a, b, s - a - b), (c, d, s - c - d), (s - a - c, s - b - d, a + b + c + d - s))


def _probe_inputs(optimizer: Optimizer, parametric: bool = False):
    """Parameters, state, hyperparameters and the block-constant gradient of the probe
    (``parametric``: a block of equal entries, the case of twins)."""
    spec = MLP((3, 3), "identity", "mse")  # only names and shapes: the rule is entrywise
    beta, theta = sp.Symbol("beta", real=True), sp.Symbol("theta", real=True)
    block = tuple(tuple(theta for _ in range(3)) for _ in range(3)) if parametric else probe_block()
    params = {"W1": block, "b1": (beta, beta, beta)}
    state = {}
    for name in optimizer.state:
        w, v = sp.Symbol(f"{name}_W", real=True), sp.Symbol(f"{name}_b", real=True)
        state[name] = {"W1": tuple(tuple(w for _ in range(3)) for _ in range(3)), "b1": (v, v, v)}
    if "t" in optimizer.scalar_state:
        state["t"] = sp.Symbol("t", positive=True, integer=True)
    g_w, g_b = sp.Symbol("g_W", real=True), sp.Symbol("g_b", real=True)
    gradient = {"W1": tuple(tuple(g_w for _ in range(3)) for _ in range(3)), "b1": (g_b, g_b, g_b)}
    return spec, params, state, hyper_symbols(optimizer, spec), gradient


def _probe_identities(new_params: dict, new_state: dict, total=lambda terms: sp.Add(*terms),
                      parametric: bool = False) -> list:
    """(description, lhs, rhs): row sums, column sums (entries, for twins), biases and state
    entries stay equal."""
    W = new_params["W1"]
    if parametric:
        out = [(f"entry {position} = entry (0, 0)", W[position[0]][position[1]], W[0][0])
               for position in ((0, 1), (1, 0), (2, 2))]
        out += [(f"bias {r} = bias 0", new_params["b1"][r], new_params["b1"][0]) for r in (1, 2)]
        return out + _state_identities(new_state)
    rows = [total(W[r]) for r in range(3)]
    cols = [total([W[r][c] for r in range(3)]) for c in range(3)]
    out = [(f"row sum {r} = row sum 0", rows[r], rows[0]) for r in (1, 2)]
    out += [(f"column sum {c} = column sum 0", cols[c], cols[0]) for c in (1, 2)]
    out += [(f"bias {r} = bias 0", new_params["b1"][r], new_params["b1"][0]) for r in (1, 2)]
    return out + _state_identities(new_state)


def _state_identities(new_state: dict) -> list:
    out = []
    for name, value in new_state.items():
        if isinstance(value, dict):
            out += [(f"state {name} of entry (1, 2) = entry (0, 0)", value["W1"][1][2], value["W1"][0][0]),
                    (f"state {name} of bias 2 = bias 0", value["b1"][2], value["b1"][0])]
    return out


def prove_rule_keeps_blocks(optimizer, seed: int = 0, parametric: bool = False) -> Probe | None:
    """Entries of a block with equal gradients and equal state, different values and equal
    sums: does one update keep the sums (and the state) equal? With ``parametric``, entries
    that are equal too: do they stay equal? None for structural rules."""
    optimizer = get_optimizer(optimizer)
    if is_structural(optimizer):
        return None
    spec, params, state, hyper, gradient = _probe_inputs(optimizer, parametric)
    new_params, new_state = step(optimizer, spec, params, state, hyper, lambda _: gradient, SYMPY_OPS)
    sampler = Sampler(spec, optimizer, seed)
    checks, statuses, counterexample = [], [], None
    for description, lhs, rhs in _probe_identities(new_params, new_state, parametric=parametric):
        decision = decide_equal(lhs, rhs, sampler)
        status, method, witness = decision.status, decision.method, decision.witness
        checks.append((description, status, method))
        statuses.append(status)
        if status == REFUTED and counterexample is None:
            counterexample = _replay_probe(optimizer, description, witness, seed, parametric)
            if not counterexample["rechecked"]:
                statuses.append(UNDECIDED)
    verdict = combine(*statuses)
    if REFUTED in statuses and counterexample is not None and not counterexample["rechecked"]:
        verdict = UNDECIDED
    return Probe(verdict, tuple(checks), counterexample)


def _replay_probe(optimizer: Optimizer, description: str, witness, seed: int, parametric: bool = False) -> dict:
    """Recompute the probe update at the witness in exact fractions / 60-digit mpmath,
    from the rule and plain numbers only (no SymPy expression of the update)."""
    point, left, right = witness
    spec, params, state, hyper, gradient = _probe_inputs(optimizer, parametric)
    values = Sampler(spec, optimizer, seed + 1).point(
        {x for part in (params, state, hyper, gradient) for x in _free(part)})
    values.update(point)
    d = replay.domain_for(spec, optimizer.needs_sqrt)
    with mpmath.workdps(replay.DIGITS):
        def number(value):  # the probe's inputs are polynomials in its symbols: exact rationals
            exact = sp.sympify(value).xreplace({x: sp.Rational(values[x.name].numerator, values[x.name].denominator)
                                                for x in value.free_symbols})
            return d.number(Fraction(int(exact.p), int(exact.q)))
        convert = lambda v: _tmap(number, v)  # noqa: E731
        new_params, new_state = step(optimizer, spec, convert(params), convert(state),
                                     convert(hyper), lambda _: convert(gradient),
                                     Ops(d.sqrt, max, d.number))
        lhs, rhs = next((left_, right_) for text, left_, right_ in _probe_identities(
            new_params, new_state, sum, parametric) if text == description)
        differ = replay.values_differ(lhs, rhs, d)
        shown = (show_value(lhs), show_value(rhs))
    return {"identity": description, "point": {k: str(v) for k, v in sorted(point.items())},
            "value": show_value(left), "reference_value": show_value(right),
            "recheck_domain": d.describe(), "recheck_value": shown[0], "recheck_reference_value": shown[1],
            "rechecked": bool(differ)}


def _free(value) -> set:
    found = set()
    for leaf in leaves(value if not isinstance(value, dict) else tuple(_flat_dict(value))):
        found |= getattr(leaf, "free_symbols", set())
    return found


def _flat_dict(value: dict):
    for item in value.values():
        yield from (_flat_dict(item) if isinstance(item, dict) else (item,))


def _tmap(fn, value):
    if isinstance(value, tuple):
        return tuple(_tmap(fn, v) for v in value)
    if isinstance(value, dict):
        return {k: _tmap(fn, v) for k, v in value.items()}
    return fn(value)


def first_step_at(spec: MLP, optimizer, values: dict, partition: Partition, seed: int = 0) -> Induction | None:
    """The first update from the given exact values (fresh optimizer state), every datum and
    hyperparameter symbolic: do the block sums stay equal? Small networks only (per entry)."""
    optimizer = get_optimizer(optimizer)
    if spec.parameter_count > POINT_CHECK_PARAMETERS or _symbolic(values):
        return None
    given = Subspace(spec, values, (), ("the given values",), lambda: sum_identities(partition))
    return prove_invariance(given, optimizer, seed, state=optimizer.initial_state(spec, sp.S.Zero), with_state=False)


def _symbolic(values: dict) -> bool:
    return any(getattr(v, "free_symbols", None) for value in values.values() for v in leaves(value))


# ------------------------------------------------------------- quotient lemma

@dataclass(frozen=True)
class QuotientLemma:
    """Every gradient entry of the network at the given point, for symbolic data, against the
    quotient's gradient divided by the class size."""

    verdict: str
    identities: int
    methods: tuple
    witness: dict | None  # a point (data) where an entry differs, with both values


def prove_quotient_lemma(spec: MLP, values: dict, partition: Partition, seed: int = 0) -> QuotientLemma | None:
    """dL/dW_i[p, k] = dL_Q/dM_i[A, B] / |A| and dL/db_i[p] = dL_Q/dc_i[A] / |A| for every entry,
    exactly (symbolic data x, y; exact parameter values). Small networks only."""
    if spec.parameter_count > POINT_CHECK_PARAMETERS or _symbolic(values):
        return None
    exact = {name: _rationals(value) for name, value in values.items()}
    classes = [partition.classes(i) for i in range(spec.depth + 2)]
    label = [{u: a for a, group in enumerate(layer) for u in group} for layer in classes]
    qspec = MLP(tuple(len(layer) for layer in classes), spec.activation, spec.loss)
    qparams = {}
    for i in spec.layers:
        W = exact[f"W{i}"]
        qparams[f"W{i}"] = tuple(tuple(sp.Add(*(W[A[0]][k] for k in B)) for B in classes[i - 1]) for A in classes[i])
        qparams[f"b{i}"] = tuple(exact[f"b{i}"][A[0]] for A in classes[i])
    x, y = data_symbols(spec)
    big = backprop(spec, exact, x, y).gradients
    small = backprop(qspec, qparams, x, y).gradients
    sampler = Sampler(spec, get_optimizer("sgd"), seed)
    statuses, methods, witness = [], {}, None
    for i in spec.layers:
        for p in range(spec.widths[i]):
            size = len(classes[i][label[i][p]])
            pairs = [(big[f"W{i}"][p][k], small[f"W{i}"][label[i][p]][label[i - 1][k]] / size)
                     for k in range(spec.widths[i - 1])]
            pairs.append((big[f"b{i}"][p], small[f"b{i}"][label[i][p]] / size))
            for lhs, rhs in pairs:
                decision = decide_equal(lhs, rhs, sampler)
                status, method, found = decision.status, decision.method, decision.witness
                statuses.append(status)
                methods[method] = methods.get(method, 0) + 1
                if found is not None and witness is None:
                    point, left, right = found
                    witness = {"point": {k: str(v) for k, v in point.items()},
                               "network": show_value(left), "quotient": show_value(right)}
    return QuotientLemma(combine(*statuses), len(statuses), tuple(sorted(methods.items())), witness)


def _rationals(value):
    if isinstance(value, tuple):
        return tuple(_rationals(v) for v in value)
    return sp.Rational(value) if isinstance(value, Fraction) else sp.sympify(value)


# ------------------------------------------------------------------ dead units

@dataclass(frozen=True)
class DeadStep:
    """One dead bias value through one update of the probe network."""

    bias: sp.Rational
    step: Induction  # the row and the state stay 0
    bias_update: str  # the zero-gradient update b' as a formula
    bias_status: str  # proved: b' is the zero-gradient update; its sign decided below
    factor: str | None  # c with b' = c b, when the update is linear in b
    stays_nonpositive: str  # PROVED (c = 1 or b = 0) | "conditional" | REFUTED | UNDECIDED
    condition: str
    witness: dict | None  # a point where b' > 0


def prove_dead_stays_dead(spec: MLP, optimizer, bias, seed: int = 0) -> DeadStep:
    optimizer = get_optimizer(optimizer)
    probe = MLP((1, 2, 1), "relu", spec.loss if spec.loss != "ce" else "mse")
    bias = sp.Rational(bias)
    distinct = tie_subspace(Partition(probe, (((0,), (1,)),)))  # two units, one free, one dead
    params = dict(distinct.parameters, W1=((sp.S.Zero,), distinct.parameters["W1"][1]),
                  b1=(bias, distinct.parameters["b1"][1]))
    state = distinct.state(optimizer)
    for name in optimizer.state:  # the dead unit's state starts (and must stay) 0
        state[name] = dict(state[name], W1=((sp.S.Zero,), state[name]["W1"][1]),
                           b1=(sp.S.Zero, state[name]["b1"][1]))
    identities = [Identity("W1", 1, "zero", (0, 0), None)]
    for name in optimizer.state:
        identities += [Identity(f"{name}:W1", 1, "zero", (0, 0), None), Identity(f"{name}:b1", 1, "zero", (0,), None)]
    dead_unit = Subspace(probe, params, distinct.symbols, (f"unit 0 dead with bias {bias}",), lambda: identities)
    result = prove_invariance(dead_unit, optimizer, seed, state=state, with_state=False)
    new_params, _ = result.update
    hyper = hyper_symbols(optimizer, probe)
    # the zero-gradient update of the bias: the same rule with every gradient 0
    zero_grad = lambda p: {k: _zeros(v) for k, v in p.items()}  # noqa: E731
    expected = step(optimizer, probe, params, state, hyper, zero_grad, SYMPY_OPS)[0]["b1"][0]
    sampler = Sampler(probe, optimizer, seed)
    status = decide_equal(new_params["b1"][0], expected, sampler).status
    # the same update with the bias a symbol: is b' proportional to b?
    symbol = sp.Symbol("b_dead", real=True)
    general = step(optimizer, probe, dict(params, b1=(symbol, params["b1"][1])), state, hyper,
                   zero_grad, SYMPY_OPS)[0]["b1"][0]
    factor, verdict, condition, witness = _sign(expected, bias, general, symbol, sampler)
    return DeadStep(bias, result, str(expected), status, factor, verdict, condition, witness)


def _zeros(value):
    return tuple(_zeros(v) for v in value) if isinstance(value, tuple) else sp.S.Zero


def _sign(expected, bias, general, symbol, sampler: Sampler):
    """Is the zero-gradient update b' of a bias b <= 0 again <= 0?"""
    if bias == 0:
        status = decide_equal(expected, sp.S.Zero, sampler).status
        return ("0", PROVED, "b' = 0", None) if status == PROVED else (None, UNDECIDED, "", None)
    if expected == bias:
        return "1", PROVED, "b' = b", None
    factor = sp.factor(sp.cancel(general / symbol))
    if symbol not in factor.free_symbols:
        return (str(factor), "conditional", f"b' = ({factor}) b <= 0 while {factor} >= 0", None)
    for trial in range(8):  # b' not proportional to b: look for a point where b' > 0
        point = {s: sp.Rational(sampler.value(s.name)) for s in expected.free_symbols}
        if "eta" in {s.name for s in point}:  # a step larger than |b|
            eta = next(s for s in point if s.name == "eta")
            point[eta] = abs(bias) * (trial + 2)
        value = fast_evaluate(expected, point)
        if value is not None and value > 0:
            return None, REFUTED, "b' can exceed 0", {s.name: str(v) for s, v in point.items()} | {
                "b'": show_value(value, 15)}
    return None, UNDECIDED, "b' is not proportional to b", None


def _rational(value) -> sp.Rational:
    return sp.Rational(Fraction(float(value))) if isinstance(value, float) else sp.Rational(value)


def dead_bias_values(values: dict, dead: tuple, weights: bool = False) -> list:
    """The distinct dead biases, at most three (the closest to 0 first, then the most negative).

    ``weights``: also the nonzero (negative) weights of dead units from live units of the
    layer below -- with zero gradient they move by the same per-entry rule as a bias, so the
    same probe decides whether they stay <= 0."""
    found = {_rational(values[f"b{i}"][u]) for i, units in enumerate(dead, 1) for u in units}
    if weights:
        for i in range(2, len(dead) + 1):
            below = set(dead[i - 2])
            for u in dead[i - 1]:
                row = values[f"W{i}"][u]
                found.update(_rational(w) for k, w in enumerate(row) if k not in below and w != 0)
    found = sorted(found, reverse=True)
    return found[:2] + found[-1:] if len(found) > 3 else found


__all__ = ["DeadStep", "Probe", "QuotientLemma", "prove_quotient_lemma", "STRUCTURAL", "dead_bias_values",
           "first_step_at", "is_structural", "prove_dead_stays_dead", "prove_rule_keeps_blocks", "sum_identities"]
