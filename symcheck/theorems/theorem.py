"""Theorem files: a claim about training, written down as TOML, with the verdict it should get.

    name = "symmetry-2-2-1-sigmoid-bce"          # optional, defaults to the file name
    statement = "If every weight and bias starts constant, ..."
    expect = "proved"                             # proved | refuted

    [network]
    widths = [2, 2, 1]                            # or "general" (for claim kinds that allow it)
    activation = "sigmoid"                        # a name, a custom name, or a list of names
    loss = "bce"                                  # a name or a list of names

    [activations]                                 # optional custom activations
    swish = "x / (1 + exp(-x))"

    [training]                                    # optional; which keys apply depends on the claim
    init = "constant"
    seed = 0
    optimizer = "sgd"
    steps = "all"

    [claim]
    kind = "symmetry"                             # see symcheck.theorems.kinds.CLAIMS
    ...                                           # options of that kind

Loading validates everything (names against the registries, the network,
the claim's own options) so that a bad file is reported, as one line naming
the file, the line and the field, before anything runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model.activation_forms import registered
from ..model.activations import Activation
from ..errors import InvalidFile, InvalidTheorem, SymcheckError, closest, not_allowed
from ..exact.verdict import PROVED, REFUTED
from ..model.safe_expr import custom_from_text
from ..model.spec import MLP
from .kinds import CLAIMS
from .toml_file import locate, read_toml

EXPECTATIONS = (PROVED, REFUTED)
GENERAL = "general"
TOP_KEYS = {
    "name": "a short identifier (default: the file name)",
    "statement": "the claim in prose",
    "expect": "proved or refuted",
    "network": "a table: widths, activation, loss",
    "activations": "a table of custom activations: name = \"expression in x\"",
    "training": "a table: init, seed, optimizer, steps",
    "claim": "a table: kind and the options of that kind",
    "kernels": "independent kernels that must also check the claim: a list of z3, cvc5, coq",
}
KERNELS = ("z3", "cvc5", "coq")
NETWORK_KEYS = ("widths", "activation", "loss")
TRAINING_DEFAULTS = {"init": "constant", "seed": 0, "optimizer": "sgd", "steps": "all"}
MAX_NAME_LENGTH = 80
MAX_CASES = 64
#: custom activations per file: each is parsed and differentiated at load, so their number bounds load time
MAX_CUSTOM_ACTIVATIONS = 64


@dataclass(frozen=True)
class Theorem:
    """A validated theorem file; plain data only, so it can cross process boundaries."""

    path: str
    name: str
    statement: str
    expect: str
    widths: tuple[int, ...] | None  # None: every width ("general")
    activations: tuple[str, ...]
    losses: tuple[str, ...]
    custom: tuple[tuple[str, str], ...]  # (name, expression text)
    training: dict  # init, seed, optimizer, steps (with defaults filled in)
    kind: str
    options: dict  # the [claim] table without "kind"
    text: str = field(default="", repr=False)
    kernels: tuple[str, ...] = ()  # independent kernels asked for (``symcheck.kernels``)

    @property
    def general(self) -> bool:
        return self.widths is None

    def error(self, field_name: str, message: str) -> InvalidTheorem:
        """A one-line error pointing at ``field_name`` in this file."""
        return field_error(self.path, self.text, field_name, message)

    def custom_activations(self) -> tuple[Activation, ...]:
        return tuple(custom_from_text(name, text) for name, text in self.custom)

    def networks(self) -> list[MLP]:
        """One concrete MLP per (activation, loss) case; call inside ``registered(...)``."""
        if self.widths is None:
            return []
        return [MLP(self.widths, activation, loss) for activation in self.activations for loss in self.losses]

    def cases(self) -> list[tuple[str, str]]:
        return [(activation, loss) for activation in self.activations for loss in self.losses]


def field_error(path, text: str, field_name: str, message: str) -> InvalidTheorem:
    line = locate(text, field_name) if text else None
    where = f"{path}:{line}" if line else f"{path}"
    return InvalidTheorem(f"{where}: {field_name}: {message}")


def load_theorem(path: str | Path) -> Theorem:
    path = Path(path)
    data, text = read_toml(path)
    fail = lambda name, message: field_error(path, text, name, message)  # noqa: E731

    _check_keys(data, TOP_KEYS, "", fail, "top level")
    for required in ("statement", "expect", "network", "claim"):
        if required not in data:
            raise fail(required, f"missing; a theorem needs {required} ({TOP_KEYS[required]})")

    name = data.get("name", path.stem)
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_LENGTH:
        raise fail("name", f"expected a non-empty string of at most {MAX_NAME_LENGTH} characters, got {name!r}")
    statement = data["statement"]
    if not isinstance(statement, str) or not statement.strip():
        raise fail("statement", "expected the claim in prose (a non-empty string)")
    expect = data["expect"]
    if expect not in EXPECTATIONS:
        raise fail("expect", not_allowed(expect, EXPECTATIONS))

    network = _table(data, "network", fail)
    _check_keys(network, NETWORK_KEYS, "network", fail, "[network]")
    if "widths" not in network:
        raise fail("network.widths", "missing; give the layer widths such as [2, 2, 1], or \"general\"")
    widths = _widths(network["widths"], fail)
    activations = _names(network.get("activation", "tanh"), "network.activation", fail)
    losses = _names(network.get("loss", "mse"), "network.loss", fail)
    if len(activations) * len(losses) > MAX_CASES:
        raise fail("network", f"{len(activations) * len(losses)} activation/loss cases; at most {MAX_CASES}")

    custom = _custom(data.get("activations", {}), fail)
    training = _table(data, "training", fail) if "training" in data else {}
    _check_keys(training, TRAINING_DEFAULTS, "training", fail, "[training]")
    training = {**TRAINING_DEFAULTS, **training}
    _check_training(training, fail)

    claim = _table(data, "claim", fail)
    if "kind" not in claim:
        raise fail("claim.kind", f"missing; allowed: {', '.join(sorted(CLAIMS))}")
    kind = CLAIMS.get(claim["kind"]) if isinstance(claim["kind"], str) else None
    if kind is None:
        raise fail("claim.kind", not_allowed(claim["kind"], sorted(CLAIMS)))
    options = {key: value for key, value in claim.items() if key != "kind"}
    _check_keys(options, kind.options, "claim", fail, f"claim kind {kind.name!r}", extra=("kind",))

    kernels = _names(data["kernels"], "kernels", fail) if "kernels" in data else ()
    for kernel in kernels:
        if kernel not in KERNELS:
            raise fail("kernels", not_allowed(kernel, KERNELS))
    theorem = Theorem(str(path), name, statement.strip(), expect, widths, activations, losses,
                      custom, training, kind.name, options, text, kernels)
    _validate(theorem, kind)
    return theorem


def _validate(theorem: Theorem, kind) -> None:
    """Build every network (with the custom activations known) and let the kind check its options."""
    if theorem.general and not kind.general:
        raise theorem.error("network.widths", f"claim kind {kind.name!r} needs concrete widths such as [2, 2, 1]")
    if not theorem.general and not kind.concrete:
        raise theorem.error("network.widths", f"claim kind {kind.name!r} is about every width: use \"general\"")
    unused = [key for key, value in theorem.training.items()
              if key not in kind.training and value != TRAINING_DEFAULTS[key]]
    if unused:
        allowed = ", ".join(sorted(kind.training)) or "none"
        raise theorem.error(f"training.{unused[0]}",
                            f"not used by claim kind {kind.name!r} (it uses: {allowed})")
    try:
        customs = theorem.custom_activations()
    except SymcheckError as error:
        raise theorem.error("activations", str(error)) from None
    with registered(*customs):
        specs = []
        if not theorem.general:
            for activation, loss in theorem.cases():
                try:
                    specs.append(MLP(theorem.widths, activation, loss))
                except SymcheckError as error:
                    raise theorem.error(f"network.{_field_of(str(error))}", _strip_field(str(error))) from None
        kind.validate(theorem, specs)


def _field_of(message: str) -> str:
    head = message.split(":", 1)[0]
    return head if head in NETWORK_KEYS else "widths"


def _strip_field(message: str) -> str:
    head, _, rest = message.partition(":")
    return rest.strip() if head in NETWORK_KEYS and rest else message


def _table(data: dict, key: str, fail) -> dict:
    value = data[key]
    if not isinstance(value, dict):
        raise fail(key, f"expected a table ([{key}]), got {type(value).__name__}")
    return value


def _check_keys(table: dict, allowed, prefix: str, fail, where: str, extra=()) -> None:
    names = list(allowed) + list(extra)
    for key in table:
        if key not in names:
            hint = closest(key, names)
            suggestion = f" (did you mean {hint!r}?)" if hint else ""
            full = f"{prefix}.{key}" if prefix else key
            raise fail(full, f"unknown key in {where}; allowed: {', '.join(names) or 'none'}{suggestion}")


def _widths(value, fail) -> tuple[int, ...] | None:
    if value == GENERAL:
        return None
    if not isinstance(value, list) or not value:
        raise fail("network.widths", f"expected a list of positive integers such as [2, 2, 1], or \"general\"; got {value!r}")
    for position, width in enumerate(value):
        if isinstance(width, bool) or not isinstance(width, int):
            raise fail("network.widths", f"entry {position} is {width!r}; every width must be a positive integer")
    return tuple(value)


def _names(value, field_name: str, fail) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) for v in values):
        raise fail(field_name, f"expected a name or a list of names, got {value!r}")
    if len(set(values)) != len(values):
        raise fail(field_name, f"lists a name twice: {value!r}")
    return tuple(values)


def _custom(value, fail) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise fail("activations", f"expected a table of name = \"expression\", got {type(value).__name__}")
    if len(value) > MAX_CUSTOM_ACTIVATIONS:
        raise fail("activations", f"{len(value)} custom activations; at most {MAX_CUSTOM_ACTIVATIONS} "
                                  "(define only the ones the network uses)")
    custom = []
    for name, expression in value.items():
        if not isinstance(expression, str):
            raise fail(f"activations.{name}", f"expected an expression string such as \"x / (1 + exp(-x))\", "
                                              f"got {expression!r}")
        try:
            custom_from_text(name, expression)
        except SymcheckError as error:
            raise fail(f"activations.{name}", str(error)) from None
        custom.append((name, expression))
    return tuple(custom)


def _check_training(training: dict, fail) -> None:
    for key in ("init", "optimizer"):
        if not isinstance(training[key], str) or not training[key].strip():
            raise fail(f"training.{key}", f"expected a name, got {training[key]!r}")
    seed = training["seed"]
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise fail("training.seed", f"expected an integer in [0, 2**32), got {seed!r}")
    steps = training["steps"]
    if steps != "all" and (isinstance(steps, bool) or not isinstance(steps, int) or not 0 <= steps <= 1000):
        raise fail("training.steps", f"expected \"all\" or an integer in [0, 1000], got {steps!r}")


def discover(paths) -> list[Path]:
    """Theorem files named by ``paths``: files as given, directories searched for *.toml, sorted."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            # every *.toml that is not a directory: a FIFO, device or broken link among them
            # is refused by the reader with one line rather than skipped without a word
            files = sorted(p for p in path.rglob("*.toml") if not p.is_dir())
            if not files:
                raise InvalidFile(f"{path}: no theorem files (*.toml) in this directory")
            found += files
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            raise InvalidFile(f"{path}: no such file or directory")
    return list(dict.fromkeys(found))
