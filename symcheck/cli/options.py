"""Arguments shared by several subcommands, declared once."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..budget import DEFAULT_MEMORY_GB, PROGRESS_AFTER
from ..errors import InvalidSpec, SymcheckError
from ..model.literals import clipped, decimal, integer
from ..model.spec import MLP

#: seeds are what NumPy's generators and the theorem files accept: 0 .. 2**32 - 1
MAX_SEED = 2**32 - 1
MAX_SECONDS = 86400


def int_option(low: int, high: int):
    """argparse ``type=`` for an integer option in [low, high], ASCII digits only (``literals.integer``)."""
    def parse(text: str) -> int:
        try:
            return integer(text, "value", low, high)
        except SymcheckError as error:
            raise argparse.ArgumentTypeError(str(error).removeprefix("value is ")) from None
    return parse


def seconds_option(text: str) -> float:
    """argparse ``type=`` for a time limit in seconds, 0 .. MAX_SECONDS (0: no limit)."""
    try:
        value = decimal(text, "value")
    except SymcheckError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("value is ")) from None
    if not 0 <= value <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"{text} is out of range; give seconds between 0 and {MAX_SECONDS}")
    return value


def output_file(text: str) -> str:
    """argparse ``type=`` for an output file: checked before any work is done, so that a typo in
    a directory name does not throw away minutes of computation."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty file name; give a file to write, such as report.xml")
    path = Path(text)
    try:
        if path.is_dir():
            raise argparse.ArgumentTypeError(f"{clipped(text)} is a directory; give a file name in it")
        parent = path.parent
        if not parent.is_dir():
            raise argparse.ArgumentTypeError(f"cannot write {clipped(text)}: directory {clipped(str(parent))} "
                                             "does not exist")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise argparse.ArgumentTypeError(f"cannot write {clipped(text)}: directory {clipped(str(parent))} "
                                             "is not writable")
    except OSError as error:  # a name too long, a loop of links
        raise argparse.ArgumentTypeError(f"cannot write {clipped(text)} ({error.strerror})") from None
    except ValueError:  # a NUL character
        raise argparse.ArgumentTypeError(f"{clipped(text)} is not a file name") from None
    return text


def add_seed_argument(parser: argparse.ArgumentParser, what: str, default: int = 0) -> None:
    parser.add_argument("--seed", type=int_option(0, MAX_SEED), default=default, metavar="N",
                        help=f"{what}, 0..2**32-1 (default: {default})")


def add_network_arguments(parser: argparse.ArgumentParser, widths_required: bool = True) -> None:
    parser.add_argument(
        "--widths", required=widths_required, metavar="d,n1,...,m",
        help="layer widths, input first and output last, e.g. 2,2,1",
    )
    parser.add_argument("--activation", default="tanh", help="hidden activation (default: tanh)")
    parser.add_argument("--loss", default="mse", help="mse, bce or ce (default: mse)")


#: seconds a command may run before its verdict is undecided (exit 3); a command module may set TIMEOUT
DEFAULT_TIMEOUT = 60.0


def gigabytes(text: str) -> float:
    """argparse ``type=`` for a memory budget in gigabytes, above 0 and at most 1024."""
    try:
        value = decimal(text, "value")
    except SymcheckError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("value is ")) from None
    if not 0 < value <= 1024:
        raise argparse.ArgumentTypeError(f"{text} is out of range; give gigabytes above 0 and at most 1024")
    return value


def add_budget_arguments(parser: argparse.ArgumentParser, timeout: float) -> None:
    """--timeout, --max-memory, --progress, --quiet for every command (those it does not declare itself)."""
    have = set(parser._option_string_actions)
    if "--timeout" not in have:
        parser.add_argument("--timeout", type=seconds_option, default=timeout, metavar="S",
                            help=f"seconds before the run stops as undecided, exit 3 (default {timeout:g}; 0: no limit)")
    parser.add_argument("--max-memory", type=gigabytes, default=DEFAULT_MEMORY_GB, metavar="GB",
                        help="refuse work estimated to need more memory than this, as undecided "
                             f"(default {DEFAULT_MEMORY_GB:g})")
    parser.add_argument("--progress", type=seconds_option, default=None, metavar="S",
                        help="print progress on stderr once the run takes longer than S seconds "
                             f"(default: after {PROGRESS_AFTER:g} s when stderr is a terminal, else never)")
    if "--quiet" not in have:
        parser.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")


def network_from_args(args: argparse.Namespace) -> MLP:
    return MLP.parse(args.widths, args.activation, args.loss)


def reject_unused(args: argparse.Namespace, dests, why: str) -> None:
    """Bad input if any option of ``dests`` was given: ``why`` says why this mode does not use it.

    An option that is accepted and then ignored lets a command line claim more than was
    checked (``prove --general --optimizer dropout`` proves nothing about dropout)."""
    for dest in dests:
        if dest in getattr(args, "given", ()):
            option = "--" + dest.replace("_", "-")
            raise InvalidSpec(f"{dest}: {option} is not used {why}; leave it out")
