"""symcheck for a live PyTorch model (optional extra ``[torch]``): ``scan(model, optimizer)`` and
``TieMonitor``, a callback for the user's own training loop (docs/scan.md).

``scan`` reads an ``nn.Sequential`` chain of Linear/Conv2d layers and activation modules (nested
Sequentials are flattened; ``nn.Flatten`` between the convolutions and the linear layers), or a
module whose ``forward`` ``torch.fx`` traces to such a chain (``F.relu`` and the like included), into
the same ``Chain`` that ``symcheck scan`` reads from files, and reports the same ``Scan``.
``TieMonitor`` takes the twin classes and the functional (equitable, not twin) classes at the start
and, every ``every`` steps, measures how far apart each class's units are in the live float tensors
(twins: their weights; functional classes: their block sums, computed in float64): bitwise equal, drifting (nonzero but at
most ``tolerance`` relative to the units' largest entry) or broken, with the step at which each
tie first stopped being bitwise and first broke. The exact theorem says twins stay equal; the
monitor measures whether floating point agrees.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .errors import InvalidSpec, MissingDependency
from .oracle import ties, tolerances
from .model.model_files import Chain, Layer, check_chain
from .functional.equitable import coarsest_equitable, twin_partition
from .scan.report import exact_units, scan_chain, unit_arrays, unit_spec

try:
    import torch
    from torch import nn
except ImportError:  # pragma: no cover - the extra is optional
    torch = nn = None

#: module class name -> symcheck activation (PyTorch's default parameters)
ACTIVATIONS = {"ReLU": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid", "LeakyReLU": "leaky_relu", "ELU": "elu",
               "Softplus": "softplus", "GELU": "gelu", "Identity": "identity"}


def _need_torch() -> None:
    if torch is None:
        raise MissingDependency('symcheck.torch needs torch: pip install "symcheck[torch]"')


def _modules(model) -> list:
    if isinstance(model, nn.Sequential):
        return [m for child in model for m in _modules(child)]
    return [model]


def _function_modules() -> dict:
    """Functions and tensor methods a traced ``forward`` may call, as the modules they equal."""
    F = torch.nn.functional
    table = {torch.relu: nn.ReLU, F.relu: nn.ReLU, torch.tanh: nn.Tanh, F.tanh: nn.Tanh, torch.sigmoid: nn.Sigmoid,
             F.sigmoid: nn.Sigmoid, F.softplus: nn.Softplus, F.elu: nn.ELU, torch.flatten: nn.Flatten}
    return {**table, "relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "flatten": nn.Flatten}


def _traced_modules(model) -> list:
    """The modules of a non-Sequential model in call order, through ``torch.fx``; the traced graph
    must be a chain (every node reads the node before it, and only it)."""
    import torch.fx

    try:
        graph = torch.fx.symbolic_trace(model).graph
    except Exception as error:  # data-dependent control flow and the like
        raise InvalidSpec(f"scan: {type(model).__name__} cannot be traced by torch.fx "
                          f"({str(error).splitlines()[0][:160] if str(error) else type(error).__name__}); "
                          "give an nn.Sequential") from None
    named, functions, items, previous = dict(model.named_modules()), _function_modules(), [], None
    for node in graph.nodes:
        if node.op == "placeholder":
            if previous is not None:
                raise InvalidSpec(f"scan: {type(model).__name__}.forward takes more than one input")
            previous = node
            continue
        if node.op == "output":
            break
        inputs = [a for a in node.all_input_nodes]
        if inputs != [previous] or len(previous.users) != 1:
            raise InvalidSpec(f"scan: {type(model).__name__}: node {node.name} ({node.target}) does not just read the "
                              "node before it: not a chain (residual connections are out of scope, docs/scan.md)")
        if node.op == "call_module":
            items.append(named[node.target])
        elif node.target in functions and not node.kwargs:
            items.append(functions[node.target]())
        else:
            raise InvalidSpec(f"scan: {type(model).__name__}: node {node.name} ({node.op} {node.target}) is not "
                              "supported; symcheck.torch reads Linear, Conv2d, Flatten and activations")
        previous = node
    return items


def chain_from_module(model) -> tuple[Chain, list]:
    """(the chain, the Linear/Conv2d modules in order) of an ``nn.Sequential``, or of another
    ``nn.Module`` whose ``forward`` torch.fx traces to a chain."""
    _need_torch()
    sequence = _modules(model) if isinstance(model, nn.Sequential) else _traced_modules(model)
    layers, modules = [], []
    for index, module in enumerate(sequence):
        name = type(module).__name__
        if isinstance(module, (nn.Linear, nn.Conv2d)):
            if isinstance(module, nn.Conv2d) and module.groups != 1:
                raise InvalidSpec(f"scan: module {index} ({name}) has groups={module.groups}; only groups=1")
            if layers and layers[-1].activation is None:
                layers[-1] = _with_activation(layers[-1], "identity")
            weight = module.weight.detach().cpu().double().numpy()
            bias = module.bias.detach().cpu().double().numpy() if module.bias is not None else np.zeros(len(weight))
            layers.append(Layer("linear" if isinstance(module, nn.Linear) else "conv", weight, bias,
                                f"{index}.weight", f"{index}.bias" if module.bias is not None else None))
            modules.append(module)
        elif name in ACTIVATIONS:
            _check_parameters(index, module)
            if not layers or layers[-1].activation is not None:
                raise InvalidSpec(f"scan: module {index} ({name}) does not follow a Linear/Conv2d layer")
            layers[-1] = _with_activation(layers[-1], ACTIVATIONS[name])
        elif isinstance(module, nn.Flatten) and layers and layers[-1].kind == "conv":
            continue
        else:
            raise InvalidSpec(f"scan: module {index} ({name}) is not supported; symcheck.torch reads Linear, Conv2d, "
                              f"Flatten and {', '.join(sorted(ACTIVATIONS))} (docs/scan.md)")
    if not layers:
        raise InvalidSpec("scan: the model has no Linear or Conv2d layer")
    dtypes = tuple(sorted({str(m.weight.dtype).removeprefix("torch.") for m in modules}))
    chain = Chain(f"<{type(model).__name__}>", "torch module", tuple(layers), dtypes)
    check_chain(chain)
    return chain, modules


def _with_activation(layer: Layer, activation: str) -> Layer:
    return Layer(layer.kind, layer.weight, layer.bias, layer.weight_name, layer.bias_name, activation)


def _check_parameters(index, module) -> None:
    expected = {"LeakyReLU": ("negative_slope", 0.01), "ELU": ("alpha", 1.0), "Softplus": ("beta", 1.0),
                "GELU": ("approximate", "none")}
    name = type(module).__name__
    if name in expected:
        attribute, value = expected[name]
        if getattr(module, attribute) != value:
            raise InvalidSpec(f"scan: module {index} ({name}) has {attribute}={getattr(module, attribute)!r}; "
                              f"symcheck knows {name} with {attribute}={value!r} (PyTorch's default)")


def optimizer_name(optimizer) -> str:
    """symcheck's name of a ``torch.optim`` optimizer (or a name, returned as is)."""
    if optimizer is None or isinstance(optimizer, str):
        return optimizer or "sgd"
    kind = type(optimizer).__name__
    group = optimizer.param_groups[0]
    decay = group.get("weight_decay", 0) != 0
    if kind == "SGD":
        if group.get("nesterov"):
            return "nesterov"
        return "momentum" if group.get("momentum", 0) else ("weight_decay" if decay else "sgd")
    if kind == "Adam":
        return "adam_l2" if decay else "adam"
    if kind in ("AdamW", "RMSprop"):
        return kind.lower()
    raise InvalidSpec(f"scan: optimizer {kind} is not known to symcheck; give its rule by name "
                      "(sgd, momentum, nesterov, rmsprop, adam, adamw, adam_l2, weight_decay, ...)")


def scan(model, optimizer=None, loss: str = "mse", tolerance: float | None = None, seed: int = 0):
    """``symcheck scan`` of a live ``nn.Sequential`` and its optimizer (a ``torch.optim`` object or a name)."""
    chain, _ = chain_from_module(model)
    return scan_chain(chain, None, optimizer_name(optimizer), loss, seed, tolerance)


@dataclass
class TieState:
    layer: int  # hidden layer, from 1
    units: tuple  # the class
    kind: str = "twins"  # "twins": equal rows; "functional": equal block sums (not twins)
    drift: float = 0.0  # latest relative difference
    largest: float = 0.0  # largest seen
    first_drift_step: int | None = None  # first check at which it was not bitwise
    broke_step: int | None = None  # first check at which it exceeded the tolerance

    @property
    def status(self) -> str:
        return STATUS[ties.tie_level(self.drift, self._tolerance)]

    _tolerance: float = field(default=tolerances.FLOAT32_TIE_DRIFT, repr=False)


#: the monitor's words for the levels of ``ties.tie_level``
STATUS = {ties.BITWISE: "bitwise", ties.TOLERANCE: "drifting", ties.NOT_KEPT: "broken"}


class TieMonitor:
    """Call ``monitor.step(step)`` (or ``monitor(step)``) after ``optimizer.step()`` in the training
    loop; it measures every ``every`` steps. ``report()`` gives the current state as text."""

    def __init__(self, model, every: int = 1, tolerance: float = tolerances.FLOAT32_TIE_DRIFT):
        _need_torch()
        chain, self.modules = chain_from_module(model)
        spec, exact = unit_spec(chain), exact_units(unit_arrays(chain))
        partition = twin_partition(spec, exact)
        self.equitable = coarsest_equitable(spec, exact)
        self.every, self.tolerance, self.checks = every, tolerance, 0
        self.ties = [TieState(i, group, _tolerance=tolerance) for i, classes in enumerate(partition.layers, 1)
                     for group in classes if len(group) > 1]
        self.ties += [TieState(i, group, "functional", _tolerance=tolerance)
                      for i, classes in enumerate(self.equitable.layers, 1)
                      for group in classes if len(group) > 1 and group not in partition.layers[i - 1]]
        self.history: list = []  # (step, max drift over ties)

    def __call__(self, step: int) -> None:
        self.step(step)

    def _unit_vectors(self, layer: int):
        inc, out = self.modules[layer - 1], self.modules[layer]
        weight = inc.weight.detach().reshape(inc.weight.shape[0], -1)
        bias = inc.bias.detach().reshape(-1, 1) if inc.bias is not None else weight[:, :0]
        outgoing = out.weight.detach()
        channels = weight.shape[0]
        outgoing = outgoing.reshape(outgoing.shape[0], channels, -1).transpose(0, 1).reshape(channels, -1)
        return torch.cat([weight, bias, outgoing], dim=1)

    def _labels(self, layer: int):
        labels = torch.empty(self.equitable.spec.widths[layer], dtype=torch.long)
        for label, group in enumerate(self.equitable.classes(layer)):
            labels[list(group)] = label
        return labels, len(self.equitable.classes(layer))

    def _sum_vectors(self, layer: int):
        """Per unit: incoming sums over the classes below, bias, outgoing sums over the classes above
        (per kernel or spatial position), in float64 so that the sums add little rounding of their own."""
        inc, out = self.modules[layer - 1], self.modules[layer]
        units = inc.weight.shape[0]
        below, count_below = self._labels(layer - 1)
        above, count_above = self._labels(layer + 1)
        weight = inc.weight.detach().double().reshape(units, len(below), -1)
        incoming = torch.zeros(units, count_below, weight.shape[2], dtype=torch.float64).index_add_(1, below, weight)
        bias = inc.bias.detach().double().reshape(-1, 1) if inc.bias is not None else weight.new_zeros(units, 0)
        outgoing = out.weight.detach().double().reshape(out.weight.shape[0], units, -1)
        sums = torch.zeros(count_above, units, outgoing.shape[2], dtype=torch.float64).index_add_(0, above, outgoing)
        return torch.cat([incoming.reshape(units, -1), bias, sums.transpose(0, 1).reshape(units, -1)], dim=1)

    def step(self, step: int) -> None:
        if step % self.every:
            return
        self.checks += 1
        worst = 0.0
        cache: dict = {}
        for tie in self.ties:
            key = (tie.layer, tie.kind)
            vectors = cache.get(key)
            if vectors is None:
                vectors = cache[key] = (self._unit_vectors if tie.kind == "twins" else self._sum_vectors)(tie.layer)
            rows = vectors[list(tie.units)].double().numpy()  # float32 values are exact in float64
            largest = float(np.abs(rows).max()) if np.all(np.isfinite(rows)) else 0.0
            tie.drift = ties.class_gap(rows, largest)  # relative to the class's largest entry
            tie.largest = max(tie.largest, tie.drift)
            if tie.drift > 0 and tie.first_drift_step is None:
                tie.first_drift_step = step
            if tie.drift > self.tolerance and tie.broke_step is None:
                tie.broke_step = step
            worst = max(worst, tie.drift)
        self.history.append((step, worst))

    def summary(self) -> dict:
        counts = {"bitwise": 0, "drifting": 0, "broken": 0}
        for tie in self.ties:
            counts[tie.status] += 1
        return counts

    def report(self) -> str:
        lines = [f"TieMonitor: {len(self.ties)} tied classes, {self.checks} checks; " +
                 ", ".join(f"{k} {v}" for k, v in self.summary().items())]
        for tie in self.ties:
            units = ", ".join(map(str, tie.units[:8])) + (", ..." if len(tie.units) > 8 else "")
            when = ""
            if tie.first_drift_step is not None:
                when = f"; not bitwise from step {tie.first_drift_step}"
            if tie.broke_step is not None:
                when += f"; broke at step {tie.broke_step}"
            lines.append(f"  layer {tie.layer} {tie.kind} {{{units}}}: {tie.status} (relative difference {tie.drift:.3g}, "
                         f"largest {tie.largest:.3g}){when}")
        return "\n".join(lines) + "\n"


__all__ = ["ACTIVATIONS", "TieMonitor", "TieState", "chain_from_module", "optimizer_name", "scan"]
