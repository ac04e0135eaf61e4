"""The ``[training]`` keys shared by several claim kinds: init and optimizer, read and validated."""

from __future__ import annotations

from pathlib import Path

from ...errors import SymcheckError, unknown_name
from ...model.optimizers import OPTIMIZERS
from ...initialization.patterns import parse_init


def theorem_init(theorem):
    """The init of ``[training]``; a JSON file is found relative to the theorem file."""
    text = theorem.training["init"]
    if text.strip().endswith((".json", ".npz")) and not Path(text.strip()).is_absolute():
        text = str(Path(theorem.path).parent / text.strip())
    return parse_init(text, theorem.training["seed"])


def validate_init(theorem, specs) -> None:
    """Parse the init and build its values for every network: a bad pattern fails at load time."""
    try:
        init = theorem_init(theorem)
        for spec in specs:
            init.values(spec)
    except SymcheckError as error:
        raise theorem.error("training.init", str(error).removeprefix("init: ")) from None


def validate_optimizer(theorem) -> None:
    if theorem.training["optimizer"] not in OPTIMIZERS:
        raise theorem.error("training.optimizer", unknown_name(
            "optimizer", theorem.training["optimizer"], OPTIMIZERS).removeprefix("optimizer: "))
