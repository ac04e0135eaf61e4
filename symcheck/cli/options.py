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
