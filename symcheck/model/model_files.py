"""Reading a model's weights from a file as a chain of affine layers (``symcheck scan``).

Formats: safetensors (``safetensors.numpy``, no torch needed), NumPy ``.npz``, ONNX (the
graph gives the order and the activations) and PyTorch state_dict files
(``torch.load(weights_only=True)``). Every file is read through the one reader of users'
files (``textfile.read_binary_file``: regular files only, size capped while reading) and
parsed from memory; nothing is unpickled beyond tensors (``allow_pickle=False``,
``weights_only=True``), nothing from the file is executed.

A chain is a list of layers, each a linear map (weight ``[out, in]``) or a convolution
(weight ``[out, in, *kernel]``, output channels are the units), with an optional bias and
the elementwise activation that follows it. Values are kept as the exact binary numbers
they are: float16/bfloat16/float32 widen to float64 without rounding.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InvalidFile, MissingDependency
from .textfile import read_binary_file

#: ResNet-50 in float32 is about 100 MiB; a model file is capped well above the chains scan reads
MAX_MODEL_BYTES = 1024 * 2**20

#: ONNX operator -> symcheck activation name (PyTorch's default parameters only)
ONNX_ACTIVATIONS = {"Relu": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid", "LeakyRelu": "leaky_relu",
                    "Elu": "elu", "Softplus": "softplus", "Gelu": "gelu", "Identity": "identity"}
FORMATS = ("safetensors", "npz", "onnx", "torch")

#: An ONNX activation attribute (LeakyRelu's or Elu's alpha) against PyTorch's default, relative to
#: the default: ONNX stores it as a float32, which rounds at 6e-8 relative (0.01 is stored as
#: 0.0099999998), while a model that sets a slope of its own differs from the default by far more.
#: Here and not in ``oracle.tolerances``, the table of every other tolerance: model/ sits below
#: oracle/ in the layers and cannot import it (the table names this entry).
ONNX_ATTRIBUTE = 1e-7


@dataclass(frozen=True)
class Layer:
    kind: str  # "linear" or "conv"
    weight: np.ndarray  # float64: [out, in] or [out, in, *kernel]
    bias: np.ndarray  # float64 [out] (zeros when the file has none)
    weight_name: str
    bias_name: str | None
    activation: str | None = None  # the activation after this layer, when the file says

    @property
    def units(self) -> int:
        return int(self.weight.shape[0])

    @property
    def inputs(self) -> int:
        return int(self.weight.shape[1])

    @property
    def parameter_count(self) -> int:
        return int(self.weight.size) + (len(self.bias) if self.bias_name is not None else 0)


@dataclass(frozen=True)
class Chain:
    path: str
    format: str
    layers: tuple[Layer, ...]
    dtypes: tuple[str, ...]  # the file's dtypes, for the report


def read_chain(path: str, fmt: str | None = None) -> Chain:
    """The chain of layers in ``path``; ``fmt`` one of ``FORMATS`` (default: from the suffix)."""
    fmt = fmt or _format_from_name(path)
    data = read_binary_file(Path(path), f"a model file ({fmt})", MAX_MODEL_BYTES)
    if fmt == "onnx":
        return _read_onnx(path, data)
    tensors = {"safetensors": _safetensors, "npz": _npz, "torch": _torch}[fmt](path, data)
    return chain_from_tensors(path, fmt, tensors)


def _format_from_name(path: str) -> str:
    suffix = Path(path).suffix.lower()
    known = {".safetensors": "safetensors", ".npz": "npz", ".onnx": "onnx", ".pt": "torch", ".pth": "torch",
             ".bin": "torch"}
    if suffix not in known:
        raise InvalidFile(f"{path}: unknown model file suffix {suffix or '(none)'!r}; allowed: "
                          ".safetensors, .npz, .onnx, .pt/.pth/.bin (PyTorch state_dict), or give --format")
    return known[suffix]


# ------------------------------------------------------------------ tensors

def _safetensors(path: str, data: bytes) -> dict:
    try:
        from safetensors.numpy import load
    except ImportError:
        raise MissingDependency('scan: reading .safetensors needs safetensors: pip install "symcheck[scan]"') from None
    try:
        return load(data)
    except Exception as error:  # safetensors raises its own SafetensorError, and ValueError for dtypes
        raise InvalidFile(f"{path}: not a readable safetensors file ({_first_line(error)})") from None


def read_npz(path: Path, what: str = "a NumPy .npz file", max_bytes: int | None = None) -> dict:
    """The named arrays of a ``.npz`` file: a regular file, size capped while reading and capped
    again on what it unpacks to, never unpickled (also ``--init FILE.npz``)."""
    data = read_binary_file(Path(path), what, MAX_MODEL_BYTES if max_bytes is None else max_bytes)
    return _npz(str(path), data)


def _npz(path: str, data: bytes) -> dict:
    try:
        archive = np.load(io.BytesIO(data), allow_pickle=False)  # never unpickle a user's file
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as error:
        raise InvalidFile(f"{path}: not a NumPy .npz file ({_first_line(error)})") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise InvalidFile(f"{path}: a single array (.npy); expected a .npz archive of named arrays")
    unpacked = sum(info.file_size for info in archive.zip.infolist())
    if unpacked > 2 * MAX_MODEL_BYTES:  # savez_compressed: the cap is on what it unpacks to, too
        archive.close()
        raise InvalidFile(f"{path}: unpacks to {unpacked // 2**20} MiB, more than {2 * MAX_MODEL_BYTES // 2**20} MiB")
    out = {}
    with archive:
        for name in archive.files:
            try:
                out[name] = archive[name]
            except (ValueError, OSError, zipfile.BadZipFile, EOFError) as error:
                raise InvalidFile(f"{path}: array {name!r} cannot be read without pickle "
                                  f"({_first_line(error)})") from None
    return out


def _torch(path: str, data: bytes) -> dict:
    try:
        import torch
    except ImportError:
        raise MissingDependency('scan: reading a PyTorch state_dict needs torch: pip install "symcheck[torch]"') from None

    try:
        with warnings.catch_warnings():  # torch warns about pickle protocols: the error line says enough
            warnings.simplefilter("ignore")
            obj = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)  # tensors only, no code
    except Exception as error:  # UnpicklingError, RuntimeError (not a zip), EOFError ...
        raise InvalidFile(f"{path}: not a PyTorch state_dict readable with weights_only=True "
                          f"({_first_line(error)})") from None
    if not isinstance(obj, dict) or not all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in obj.items()):
        raise InvalidFile(f"{path}: holds a {type(obj).__name__}, not a state_dict (a dict of names to tensors); "
                          "save model.state_dict()")
    return {k: _torch_to_numpy(v) for k, v in obj.items()}


def _torch_to_numpy(tensor):
    import torch

    if tensor.dtype == torch.bfloat16:  # NumPy has no bfloat16: widen exactly
        tensor = tensor.to(torch.float32)
    return tensor.detach().cpu().numpy()


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]


# --------------------------------------------------------- names to layers

_SUFFIX = re.compile(r"^(?P<prefix>.*?)[._/]?(?P<kind>weight|bias|kernel)$")
_WB = re.compile(r"^(?P<kind>[Wb])(?P<layer>[0-9]+)$")


def _natural(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"([0-9]+)", text))


def chain_from_tensors(path: str, fmt: str, tensors: dict) -> Chain:
    """Group ``*.weight`` / ``*.bias`` (or ``W1``, ``b1``) by layer prefix, in natural order."""
    groups: dict = {}
    for name in tensors:
        match = _WB.match(name)
        if match:
            key, kind = f"layer{int(match['layer']):09d}", "weight" if match["kind"] == "W" else "bias"
        else:
            match = _SUFFIX.match(name)
            if match is None or match["kind"] == "kernel":
                raise InvalidFile(f"{path}: tensor {name!r} is not a layer's weight or bias; scan reads chains of "
                                  "Linear/Conv layers (names ending in weight/bias, or W1, b1, ...)")
            key, kind = match["prefix"], match["kind"]
        groups.setdefault(key, {})[kind] = name
    if not groups:
        raise InvalidFile(f"{path}: no tensors; expected the weights of a chain of Linear/Conv layers")
    layers = []
    for key in sorted(groups, key=_natural):
        names = groups[key]
        if "weight" not in names:
            raise InvalidFile(f"{path}: bias {names['bias']!r} has no weight beside it")
        weight = _floats(path, names["weight"], tensors[names["weight"]])
        if weight.ndim == 1:  # a 1-D "weight" is a normalization layer's scale
            raise InvalidFile(f"{path}: tensor {names['weight']!r} is 1-D (a normalization layer?); normalization "
                              "layers are out of scope for scan (docs/scan.md)")
        if weight.ndim < 2:
            raise InvalidFile(f"{path}: tensor {names['weight']!r} has shape {weight.shape}; expected [out, in] "
                              "or [out, in, *kernel]")
        bias_name = names.get("bias")
        bias = _floats(path, bias_name, tensors[bias_name]) if bias_name else np.zeros(weight.shape[0])
        if bias.shape != (weight.shape[0],):
            raise InvalidFile(f"{path}: bias {bias_name!r} has shape {bias.shape}; expected ({weight.shape[0]},) "
                              f"for weight {names['weight']!r} of shape {weight.shape}")
        layers.append(Layer("linear" if weight.ndim == 2 else "conv", weight, bias, names["weight"], bias_name))
    # convolutions before linear layers (the only order scan reads), each in the names' natural order:
    # "features.*" and "fc" sort either way alphabetically
    layers.sort(key=lambda layer: layer.kind == "linear")
    dtypes = tuple(sorted({str(np.asarray(v).dtype) for v in tensors.values()}))
    chain = Chain(path, fmt, tuple(layers), dtypes)
    check_chain(chain)
    return chain


def _floats(path: str, name: str, value) -> np.ndarray:
    value = np.asarray(value)
    if value.dtype.kind != "f":
        raise InvalidFile(f"{path}: tensor {name!r} has dtype {value.dtype}; expected floating-point weights "
                          "(float16, bfloat16, float32 or float64)")
    wide = value.astype(np.float64)  # exact: every narrower float is a float64
    if not np.all(np.isfinite(wide)):
        raise InvalidFile(f"{path}: tensor {name!r} has inf or nan entries")
    return wide


def check_chain(chain: Chain) -> None:
    """Consecutive layers fit: in = out of the layer before (a convolution feeding a linear layer
    through a flatten: in = channels x positions)."""
    for before, after in zip(chain.layers, chain.layers[1:]):
        if after.kind == "conv" and before.kind == "linear":
            raise InvalidFile(f"{chain.path}: {after.weight_name} (a convolution) follows the linear layer "
                              f"{before.weight_name}; scan reads convolutions first, then linear layers")
        if after.kind == "linear" and before.kind == "conv":
            if after.inputs % before.units:
                raise InvalidFile(f"{chain.path}: {after.weight_name} has {after.inputs} inputs, not a multiple of "
                                  f"the {before.units} channels of {before.weight_name} (mismatched shapes)")
        elif after.inputs != before.units:
            raise InvalidFile(f"{chain.path}: {after.weight_name} has shape {after.weight.shape}: {after.inputs} "
                              f"inputs, but {before.weight_name} has {before.units} outputs (mismatched shapes; "
                              "scan reads a chain in the order of the names)")


# ------------------------------------------------------------------- ONNX

def _read_onnx(path: str, data: bytes) -> Chain:
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError:
        raise MissingDependency('scan: reading .onnx needs onnx: pip install "symcheck[scan]"') from None
    try:
        model = onnx.load_model_from_string(data)
    except Exception as error:  # protobuf DecodeError and friends
        raise InvalidFile(f"{path}: not a readable ONNX model ({_first_line(error)})") from None
    graph = model.graph
    for tensor in graph.initializer:  # to_array would open the path named in the model: never
        if tensor.data_location == onnx.TensorProto.EXTERNAL:
            raise InvalidFile(f"{path}: initializer {tensor.name!r} keeps its data in an external file; scan "
                              "reads self-contained models only (onnx.save with save_as_external_data=False)")
    try:
        init = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    except Exception as error:
        raise InvalidFile(f"{path}: an initializer cannot be read ({_first_line(error)})") from None
    for node in graph.node:  # Constant nodes hold weights too (some exporters)
        if node.op_type == "Constant" and node.attribute:
            init[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    inputs = [i.name for i in graph.input if i.name not in init]
    if len(inputs) != 1:
        raise InvalidFile(f"{path}: the graph has {len(inputs)} data inputs; scan reads a chain with one input")
    current, layers = inputs[0], []
    dtypes = sorted({str(v.dtype) for v in init.values()})
    for node in graph.node:
        if node.op_type == "Constant":
            continue
        label = f"node {node.name or '(unnamed)'} ({node.op_type})"
        data_inputs = [i for i in node.input if i and i not in init]
        if data_inputs != [current]:
            raise InvalidFile(f"{path}: {label} reads {', '.join(data_inputs) or 'no data input'}, not the "
                              f"output {current!r} of the node before: the graph is not a chain (residual "
                              "connections and branches are out of scope for scan, docs/scan.md)")
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        weights = [init[i] for i in node.input if i in init]
        if node.op_type == "Gemm":
            _unsupported_if(path, label, attrs.get("transA", 0) != 0 or attrs.get("alpha", 1.0) != 1.0
                            or attrs.get("beta", 1.0) != 1.0, "transA, alpha and beta other than 0, 1, 1")
            w = weights[0] if attrs.get("transB", 0) else weights[0].T
            _add_layer(path, layers, "linear", w, weights[1] if len(weights) > 1 else None,
                                 node.input[1], node.input[2] if len(node.input) > 2 else None)
        elif node.op_type == "MatMul":
            _unsupported_if(path, label, len(weights) != 1 or weights[0].ndim != 2, "a 2-D weight initializer")
            _add_layer(path, layers, "linear", weights[0].T, None, node.input[1], None)
        elif node.op_type == "Add":
            last = layers[-1] if layers else None
            _unsupported_if(path, label, last is None or last.activation is not None or last.bias_name is not None
                            or len(weights) != 1 or weights[0].size != last.units,
                            "Add of a bias vector directly after MatMul")
            layers[-1] = Layer(last.kind, last.weight, _floats(path, node.input[1], weights[0]).reshape(-1),
                               last.weight_name, [i for i in node.input if i in init][0])
        elif node.op_type == "Conv":
            _unsupported_if(path, label, attrs.get("group", 1) != 1, "group = 1 (grouped and depthwise "
                            "convolutions are out of scope)")
            _add_layer(path, layers, "conv", weights[0], weights[1] if len(weights) > 1 else None,
                                 node.input[1], node.input[2] if len(node.input) > 2 else None)
        elif node.op_type in ONNX_ACTIVATIONS:
            _check_activation_attributes(path, label, node.op_type, attrs)
            _unsupported_if(path, label, not layers or layers[-1].activation is not None,
                            "one activation after each Gemm/MatMul/Conv layer")
            last = layers[-1]
            layers[-1] = Layer(last.kind, last.weight, last.bias, last.weight_name, last.bias_name,
                               ONNX_ACTIVATIONS[node.op_type])
        elif node.op_type in ("Flatten", "Reshape"):
            _unsupported_if(path, label, not layers or layers[-1].kind != "conv",
                            "Flatten/Reshape between a convolution and a linear layer")
        else:
            raise InvalidFile(f"{path}: {label} is not supported; scan reads Gemm, MatMul+Add and Conv layers with "
                              f"{', '.join(sorted(ONNX_ACTIVATIONS))} between them (docs/scan.md)")
        current = node.output[0]
    if not layers:
        raise InvalidFile(f"{path}: the graph has no Gemm, MatMul or Conv layer")
    chain = Chain(path, "onnx", tuple(layers), tuple(dtypes))
    check_chain(chain)
    return chain


def _add_layer(path, layers, kind, weight, bias, weight_name, bias_name) -> None:
    weight = _floats(path, weight_name, weight)
    bias_values = _floats(path, bias_name, bias).reshape(-1) if bias is not None else np.zeros(weight.shape[0])
    if layers and layers[-1].activation is None:
        # two affine layers with nothing between them (a LoRA-style pair): the identity activation
        last = layers[-1]
        layers[-1] = Layer(last.kind, last.weight, last.bias, last.weight_name, last.bias_name, "identity")
    layers.append(Layer(kind, weight, bias_values, weight_name, bias_name))


def _check_activation_attributes(path, label, op, attrs) -> None:
    defaults = {"LeakyRelu": ("alpha", 0.01), "Elu": ("alpha", 1.0)}
    if op in defaults:
        name, value = defaults[op]
        _unsupported_if(path, label, abs(attrs.get(name, value) - value) > ONNX_ATTRIBUTE * value,
                        f"{name} = {value} (PyTorch's default)")
    if op == "Gelu":
        _unsupported_if(path, label, attrs.get("approximate", b"none") not in (b"none", "none"),
                        "the exact GELU (approximate = none)")


def _unsupported_if(path: str, label: str, condition: bool, allowed: str) -> None:
    if condition:
        raise InvalidFile(f"{path}: {label} is not supported; scan needs {allowed}")


__all__ = ["Chain", "Layer", "FORMATS", "MAX_MODEL_BYTES", "ONNX_ACTIVATIONS", "check_chain", "chain_from_tensors",
           "read_chain"]
