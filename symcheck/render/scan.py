"""Text and JSON for ``scan``: the file, its layers and the mapping to W1, b1, ..., then
``analyze``'s report of the same ``Analysis`` by ``analyze``'s renderers."""

from __future__ import annotations

from ..scan.report import Scan
from .analysis import analysis_data, analysis_text


def _shape(layer) -> str:
    return "x".join(str(d) for d in layer.weight.shape)


def header_lines(s: Scan) -> list[str]:
    chain = s.chain
    widths = "-".join(str(w) for w in s.analysis.spec.widths)
    lines = [f"symcheck scan: {chain.path} ({chain.format}, {'/'.join(chain.dtypes)}): {len(chain.layers)} layers, "
             f"units {widths}, activation {s.activation} ({'from the file' if s.activation_source == 'file' else s.activation_source})",
             "Layers (units: rows of a linear layer, output channels of a convolution):"]
    for i, layer in enumerate(chain.layers, 1):
        bias = f"b{i} <- {layer.bias_name}" if layer.bias_name else f"b{i} = 0 (no bias in the file)"
        lines.append(f"  W{i} <- {layer.weight_name} [{_shape(layer)}] {layer.kind}, {bias}")
    lines.append(f"Parameters: {s.parameters}; effective (quotient network, dead classes removed): "
                 f"{s.effective_parameters}")
    lines.append(f"Initialization: {s.analysis.init.describe()}")
    return lines


def near_tie_lines(s: Scan) -> list[str]:
    if s.near is None:
        return []
    lines = ["", f"Near ties (--tolerance {s.near.tolerance:g}; float evidence, reported and never proved): units of "
                 "different twin classes whose weights, bias and outgoing weights differ by at most the tolerance "
                 "relative to their largest entry:"]
    for i, (pairs, count) in enumerate(zip(s.near.layers, s.near.counts), 1):
        shown = ", ".join(f"{p}~{q} ({d:.2g})" for p, q, d in pairs) or "none"
        lines.append(f"  layer {i}: {count} pair{'s' if count != 1 else ''}: {shown}"
                     + (f" ... ({count - len(pairs)} more)" if count > len(pairs) else ""))
    return lines


def scan_text(s: Scan) -> str:
    text = analysis_text(s.analysis, header_lines(s))
    return text + ("\n".join(near_tie_lines(s)[1:]) + "\n" if s.near is not None else "")


def scan_data(s: Scan) -> dict:
    data = analysis_data(s.analysis)
    chain = s.chain
    data["command"] = "scan"
    data["file"] = {"path": chain.path, "format": chain.format, "dtypes": list(chain.dtypes)}
    data["network"]["activation_source"] = s.activation_source
    data["mapping"] = [{"parameter": f"W{i}", "source": layer.weight_name, "kind": layer.kind,
                        "shape": list(layer.weight.shape), "bias": f"b{i}", "bias_source": layer.bias_name}
                       for i, layer in enumerate(chain.layers, 1)]
    for entry, layer in zip(data["layers"], chain.layers):
        entry.update({"kind": layer.kind, "source": layer.weight_name})
    data["parameters"] = s.parameters
    data["effective_parameters"] = s.effective_parameters
    data["near_ties"] = None if s.near is None else {
        "tolerance": s.near.tolerance, "note": "float evidence; never proved",
        "layers": [{"layer": i, "count": c, "pairs": [[p, q, d] for p, q, d in pairs]}
                   for i, (pairs, c) in enumerate(zip(s.near.layers, s.near.counts), 1)]}
    return data


__all__ = ["scan_data", "scan_text"]
