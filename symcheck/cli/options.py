"""Arguments shared by several subcommands, declared once."""

from __future__ import annotations

import argparse

from ..spec import MLP


def add_network_arguments(parser: argparse.ArgumentParser, widths_required: bool = True) -> None:
    parser.add_argument(
        "--widths", required=widths_required, metavar="d,n1,...,m",
        help="layer widths, input first and output last, e.g. 2,2,1",
    )
    parser.add_argument("--activation", default="tanh", help="hidden activation (default: tanh)")
    parser.add_argument("--loss", default="mse", help="mse, bce or ce (default: mse)")


#: seconds a command may run before its verdict is undecided (exit 3); a command module may set TIMEOUT
DEFAULT_TIMEOUT = 60.0


def seconds(text: str) -> float:
    """An argparse type: a number of seconds, 0 for "no limit"."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0 <= value <= 86400 or value != value:
        raise argparse.ArgumentTypeError(f"expected seconds between 0 and 86400, got {text}")
    return value


def gigabytes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of gigabytes, got {text!r}") from None
    if not 0 < value <= 1024 or value != value:
        raise argparse.ArgumentTypeError(f"expected gigabytes between 0 and 1024, got {text}")
    return value


def add_budget_arguments(parser: argparse.ArgumentParser, timeout: float) -> None:
    """--timeout, --max-memory, --progress, --quiet for every command (those it does not declare itself)."""
    from ..budget import DEFAULT_MEMORY_GB, PROGRESS_AFTER

    have = set(parser._option_string_actions)
    if "--timeout" not in have:
        parser.add_argument("--timeout", type=seconds, default=timeout, metavar="S",
                            help=f"seconds before the run stops as undecided, exit 3 (default {timeout:g}; 0: no limit)")
    parser.add_argument("--max-memory", type=gigabytes, default=DEFAULT_MEMORY_GB, metavar="GB",
                        help="refuse work estimated to need more memory than this, as undecided "
                             f"(default {DEFAULT_MEMORY_GB:g})")
    parser.add_argument("--progress", type=seconds, default=None, metavar="S",
                        help="print progress on stderr once the run takes longer than S seconds "
                             f"(default: after {PROGRESS_AFTER:g} s when stderr is a terminal, else never)")
    if "--quiet" not in have:
        parser.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")


def network_from_args(args: argparse.Namespace) -> MLP:
    return MLP.parse(args.widths, args.activation, args.loss)


def write_result(result, output: str, args: argparse.Namespace, data, text) -> None:
    """Print ``result`` as JSON (``data(result)``), LaTeX or text (``text(result)``)."""
    import sys

    from ..render.data import dumps

    if output == "json":
        sys.stdout.write(dumps(data(result)))
    elif output == "latex":
        from .latex_options import latex_output

        sys.stdout.write(latex_output(result, args))
    else:
        sys.stdout.write(text(result))
