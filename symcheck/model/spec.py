"""The network under study: a frozen, validated description of an MLP.

Conventions (DESIGN.md §2): widths are ``d, n_1, ..., n_K, m``; W_i has shape
(n_i, n_{i-1}), rows are the units of layer i; parameters are named
``W1, b1, ..., W{K+1}, b{K+1}``; hidden layers are numbered from 1. No SymPy: the names of
activations and losses are checked against the numeric registries (``activation_forms``,
``loss_forms``), so the numeric side can build a spec without the symbolic one.
"""

from __future__ import annotations

from dataclasses import dataclass

from .activation_forms import get_activation_forms
from ..errors import InvalidSpec
from .literals import integer
from .loss_forms import get_loss_forms

#: Widths above this make symbolic work pointless; the message says so instead of hanging.
MAX_WIDTH = 4096
MAX_HIDDEN_LAYERS = 256


@dataclass(frozen=True)
class MLP:
    """A K-hidden-layer perceptron ``widths = (d, n_1, ..., n_K, m)``."""

    widths: tuple[int, ...]
    activation: str = "tanh"
    loss: str = "mse"

    def __post_init__(self) -> None:
        widths = self.widths
        if not isinstance(widths, tuple):
            raise InvalidSpec(f"widths: expected a tuple of integers, got {widths!r}")
        if len(widths) < 2:
            raise InvalidSpec(
                f"widths: need at least two widths (input and output), got {_show(widths)}; "
                "example: 2,2,1"
            )
        for position, width in enumerate(widths):
            if isinstance(width, bool) or not isinstance(width, int):
                raise InvalidSpec(
                    f"widths: entry {position} is {width!r}; every width must be a positive integer"
                )
            if width < 1:
                raise InvalidSpec(
                    f"widths: entry {position} is {width}; every width must be a positive integer"
                )
            if width > MAX_WIDTH:
                raise InvalidSpec(
                    f"widths: entry {position} is {width}; widths above {MAX_WIDTH} are not supported"
                )
        if len(widths) - 2 > MAX_HIDDEN_LAYERS:
            raise InvalidSpec(
                f"widths: {len(widths) - 2} hidden layers; at most {MAX_HIDDEN_LAYERS} are supported"
            )
        get_activation_forms(self.activation)  # raises InvalidSpec with a suggestion
        get_loss_forms(self.loss).check_output_width(self.output_width)

    @classmethod
    def parse(cls, widths: str, activation: str = "tanh", loss: str = "mse") -> "MLP":
        """Build from the command-line form ``"2,2,1"``."""
        return cls(parse_widths(widths), activation, loss)

    @property
    def input_width(self) -> int:
        return self.widths[0]

    @property
    def output_width(self) -> int:
        return self.widths[-1]

    @property
    def hidden_widths(self) -> tuple[int, ...]:
        return self.widths[1:-1]

    @property
    def depth(self) -> int:
        """K, the number of hidden layers."""
        return len(self.widths) - 2

    @property
    def layers(self) -> range:
        """Layer numbers 1..K+1 (K+1 is the output layer)."""
        return range(1, self.depth + 2)

    def weight_shape(self, layer: int) -> tuple[int, int]:
        return (self.widths[layer], self.widths[layer - 1])

    def bias_length(self, layer: int) -> int:
        return self.widths[layer]

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(name for i in self.layers for name in (f"W{i}", f"b{i}"))

    def parameter_shape(self, name: str) -> tuple[int, ...]:
        layer = int(name[1:])
        return self.weight_shape(layer) if name[0] == "W" else (self.bias_length(layer),)

    @property
    def parameter_count(self) -> int:
        return sum(rows * cols + rows for rows, cols in map(self.weight_shape, self.layers))

    @property
    def name(self) -> str:
        return "-".join(map(str, self.widths))

    def describe(self) -> str:
        hidden = self.depth
        layers = f"{hidden} hidden layer{'s' if hidden != 1 else ''}"
        return f"MLP {self.name} ({layers}), activation {self.activation}, loss {self.loss}"


def parse_widths(text: str) -> tuple[int, ...]:
    """Parse ``"3,4,4,2"`` into a tuple, with a message that names the bad entry."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidSpec("widths: empty; give comma-separated positive integers such as 2,2,1")
    parts = [part.strip() for part in text.split(",")]
    widths = []
    for position, part in enumerate(parts):
        try:
            widths.append(integer(part, f"widths: entry {position}"))
        except InvalidSpec as error:
            raise InvalidSpec(f"{error}; give comma-separated positive integers such as 2,2,1") from None
    return tuple(widths)


def _show(widths: tuple) -> str:
    return ",".join(map(str, widths)) or "nothing"

