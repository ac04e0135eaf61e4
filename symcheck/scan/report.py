"""``symcheck scan``: twin classes, functional classes and dead units in a real model's weights,
and whether an optimizer keeps each tie (docs/scan.md).

A chain read by ``model_files`` becomes a point of the network the rest of symcheck knows:
units are the rows of a linear layer or the output channels of a convolution. A convolution's
weight ``[out, in, *kernel]`` is a matrix of units whose entries are vectors (one component per
kernel position), and so is a linear layer after a flatten (one component per spatial position
of the channel it reads). The equitable conditions then sum over input-channel classes *per
component* -- exactly what ``equitable`` does with its trailing component axis -- so the twin
classes, the coarsest equitable partition and the dead units come from the same code as
``analyze``, and the report is ``analyze``'s ``Analysis`` rendered by ``analyze``'s renderers.

Why a convolution keeps ties as a linear layer does: z[p, s] = sum_{k, t} W[p, k, t] h[k, s + t]
+ b[p] is linear in W with gradient dL/dW[p, k, t] = sum_s delta[p, s] h[k, s + t] and
dL/dh[k, u] = sum_{p, t} W[p, k, t] delta[p, u - t]; channels p, q with equal block sums per
position t have equal z, h and delta at every position, so their gradients per block and
position are equal, and an update rule that treats entries alike keeps them equal
(``conv_proof`` checks this symbolically on a small convolution). Pure-MLP chains go through
``functional.analyze_functional`` unchanged (float64 evidence included); chains with
convolutions get the class-level claims only (the float64 trainer is a matrix network).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..induction.analysis import ALL_DISTINCT, BASE_BY_CONSTRUCTION, NO_TWINS, PER_ENTRY_PARAMETERS, Analysis, Claim
from ..induction.subspace import tie_count
from ..functional.conv_proof import prove_conv_step
from ..functional.equitable import exact_array
from ..errors import InvalidSpec
from ..functional.analysis import analyze_functional, functional_analysis, twins_at_class_level
from ..exact.verdict import PROVED
from ..model.model_files import Chain
from ..model.optimizers import get_optimizer
from ..initialization.patterns import exact_values
from ..exact.verdict import combine
from ..model.sentence import Sentence
from ..model.spec import MLP
from ..functional.equitable import twin_partition


@dataclass(frozen=True)
class FileWeights:
    """The initial values of ``analyze``: the file's numbers, each the exact binary number it is."""

    chain: Chain
    seed: int = 0
    is_symbolic: bool = False

    @property
    def name(self) -> str:
        return f"file {self.chain.path}"

    def values(self, spec: MLP) -> dict:
        arrays = {name: value for i, layer in enumerate(self.chain.layers, 1)
                  for name, value in ((f"W{i}", layer.weight), (f"b{i}", layer.bias))}
        # small networks get the per-entry proofs, which take exact rationals; wide ones stay arrays
        return exact_values(arrays) if spec.parameter_count <= PER_ENTRY_PARAMETERS else arrays

    def description(self) -> Sentence:
        return Sentence((f"{'/'.join(self.chain.dtypes)} weights from {self.chain.format} file {self.chain.path}, "
                         "compared exactly (each value the exact binary number it is)",))

    def symmetry_notes(self, verdict, base_refuted, vacuous) -> tuple:
        return ()


@dataclass(frozen=True)
class NearTies:
    tolerance: float
    layers: tuple  # per hidden layer: ((unit, unit, relative difference), ...), closest first
    counts: tuple


@dataclass(frozen=True)
class Scan:
    chain: Chain
    activation: str
    activation_source: str  # "file" or "--activation"
    analysis: Analysis
    positions: tuple  # per layer 1..K+1: components per entry (kernel or spatial positions)
    parameters: int
    effective_parameters: int
    near: NearTies | None

    @property
    def verdict(self) -> str:
        return self.analysis.verdict


def chain_activation(chain: Chain, activation: str | None) -> tuple[str, str]:
    """The one hidden activation: the file's, or ``--activation`` when the file has none."""
    hidden = chain.layers[:-1]
    found = {layer.activation for layer in hidden}
    if not hidden:
        return activation or "identity", "--activation" if activation else "none needed"
    if found == {None}:
        if activation is None:
            raise InvalidSpec(f"scan: {chain.path} does not say which activation follows each layer; "
                              "give --activation (relu, tanh, sigmoid, ...)")
        return activation, "--activation"
    for layer in hidden:
        if layer.activation != hidden[0].activation:
            raise InvalidSpec(f"scan: {chain.path}: {layer.weight_name} is followed by {layer.activation or 'nothing'}"
                              f", {hidden[0].weight_name} by {hidden[0].activation}; scan needs one hidden "
                              "activation for the whole chain")
    if activation is not None and activation != hidden[0].activation:
        raise InvalidSpec(f"scan: --activation {activation}, but {chain.path} says {hidden[0].activation}; "
                          "leave --activation out")
    return hidden[0].activation, "file"


def positions(chain: Chain) -> tuple:
    out = []
    for i, layer in enumerate(chain.layers):
        if layer.kind == "conv":
            out.append(int(np.prod(layer.weight.shape[2:])))
        elif i and chain.layers[i - 1].kind == "conv":
            out.append(layer.inputs // chain.layers[i - 1].units)
        else:
            out.append(1)
    return tuple(out)


def unit_arrays(chain: Chain) -> dict:
    """W_i as [units, units below, components]: a flatten's spatial positions become components."""
    values = {}
    for i, (layer, count) in enumerate(zip(chain.layers, positions(chain)), 1):
        units_below = layer.inputs if count == 1 or layer.kind == "conv" else layer.inputs // count
        values[f"W{i}"] = layer.weight.reshape(layer.units, units_below, count)
        values[f"b{i}"] = layer.bias
    return values


def exact_units(units: dict) -> dict:
    """``unit_arrays`` as exact integers with the component axis ``equitable`` expects."""
    exact = {}
    for name, value in units.items():
        ints = exact_array(value if value.ndim == 3 else value.reshape(-1, 1))[0]
        exact[name] = ints if value.ndim == 3 else ints.reshape(len(value), -1)
    return exact


def unit_spec(chain: Chain, activation: str = "identity", loss: str = "mse") -> MLP:
    """The network of units: input width, then the units (rows or channels) of every layer."""
    units = unit_arrays(chain)
    return MLP((units["W1"].shape[1],) + tuple(layer.units for layer in chain.layers), activation, loss)


def scan_chain(chain: Chain, activation: str | None = None, optimizer="sgd", loss: str = "mse", seed: int = 0,
               tolerance: float | None = None) -> Scan:
    activation, source = chain_activation(chain, activation)
    optimizer = get_optimizer(optimizer)
    units = unit_arrays(chain)
    spec = unit_spec(chain, activation, loss)
    init = FileWeights(chain, seed)
    if all(layer.kind == "linear" for layer in chain.layers):
        analysis = analyze_functional(spec, init, optimizer, seed)
    else:
        analysis = _conv_analysis(spec, init, units, optimizer, seed)
    f = analysis.functional
    # a scan claims every tie it reports: the twins and the functional ties both
    ties = combine(analysis.tie_verdict, *(c.verdict for c in (analysis.twins, analysis.dead,
                                                                f.ties if f is not None else None) if c is not None))
    dead_units = f.dead_claim if f is not None else None
    analysis = replace(analysis, tie_verdict=ties,
                       verdict=combine(analysis.verdict, ties, *(dead_units.verdict,) if dead_units is not None else ()))
    counts = positions(chain)
    near = near_ties(spec, units, analysis, tolerance) if tolerance is not None else None
    total = sum(layer.parameter_count for layer in chain.layers)
    return Scan(chain, activation, source, analysis, counts, total, effective_parameters(chain, analysis), near)


def _conv_analysis(spec: MLP, init: FileWeights, units: dict, optimizer, seed: int) -> Analysis:
    """``analyze_functional``'s claims at the class level, on units with vector entries."""
    exact = exact_units(units)
    partition = twin_partition(spec, exact)
    notes = []
    if partition.is_trivial:
        notes.append(ALL_DISTINCT)
        twins = Claim("twins persist", NO_TWINS, PROVED)
    else:
        level = twins_at_class_level(optimizer, seed)
        twins = Claim("twins persist", level.statement, level.verdict, base_identities=tie_count(partition),
                      extra={"base_case": BASE_BY_CONSTRUCTION, "class_level": level})
    lemma = prove_conv_step(seed)
    notes.append(Sentence((f"convolutions: every claim is decided at the class level (the update rule on one "
                           f"block); the convolution lemma (tied channels get equal gradient block sums per kernel "
                           f"position, sympy.diff on a small two-convolution network, every activation and loss): "
                           f"{lemma.verdict} ({len(lemma.checks)} identities); no float64 training run",)))
    values = {name: value for name, value in units.items()}
    found = functional_analysis(spec, optimizer, values, None, partition, seed, exact, per_entry=False)
    verdict = combine(twins.verdict, lemma.verdict)
    analysis = Analysis(spec, init, optimizer, partition, twins, None, (), None, verdict, verdict, tuple(notes))
    return replace(analysis, functional=found)


def effective_parameters(chain: Chain, analysis: Analysis) -> int:
    """Parameters of the quotient network without its dead classes: live classes of layer i
    times live classes of layer i-1 times components, plus one bias per live class."""
    f = analysis.functional
    spec = analysis.spec
    live = [spec.widths[0]] + list(f.live_widths if f is not None else analysis.partition.effective_widths) \
        + [spec.widths[-1]]
    total = 0
    for i, (layer, count) in enumerate(zip(chain.layers, positions(chain)), 1):
        total += live[i] * live[i - 1] * count + (live[i] if layer.bias_name is not None else 0)
    return total


def near_ties(spec: MLP, units: dict, analysis: Analysis, tolerance: float, limit: int = 20) -> NearTies:
    """Pairs of units in different twin classes whose incoming weights, bias and outgoing weights
    differ by at most ``tolerance`` relative to the larger of the two units' largest entries.
    Float evidence only: reported, never proved."""
    layers, counts = [], []
    for i, classes in enumerate(analysis.partition.layers, 1):
        reps = [group[0] for group in classes]
        n = len(reps)
        vectors = np.concatenate([units[f"W{i}"][reps].reshape(n, -1), units[f"b{i}"][reps].reshape(n, 1),
                                  np.swapaxes(units[f"W{i + 1}"], 0, 1)[reps].reshape(n, -1)], axis=1)
        size = np.abs(vectors).max(axis=1)
        found = []
        for a in range(n - 1):
            gap = np.abs(vectors[a + 1:] - vectors[a]).max(axis=1)
            scale = np.maximum(size[a + 1:], size[a])
            relative = np.divide(gap, scale, out=np.zeros_like(gap), where=scale > 0)
            for b in np.flatnonzero(relative <= tolerance):
                found.append((reps[a], reps[a + 1 + int(b)], float(relative[b])))
        found.sort(key=lambda t: t[2])
        layers.append(tuple(found[:limit]))
        counts.append(len(found))
    return NearTies(tolerance, tuple(layers), tuple(counts))


__all__ = ["FileWeights", "NearTies", "Scan", "chain_activation", "effective_parameters", "near_ties", "positions",
           "scan_chain", "exact_units", "unit_arrays", "unit_spec"]
