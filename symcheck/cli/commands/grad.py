"""symcheck grad: the symbolically derived gradient at a numeric point."""

from __future__ import annotations

import argparse
import sys

from ...model.activations import require_values
from ...symbolic.gradient import evaluate_gradient
from ...oracle.numeric import largest_entry
from ...model.point import load_point
from ...render.data import data, dumps
from .. import EXIT_OK, EXIT_UNDECIDED
from ..options import add_network_arguments, network_from_args

NAME = "grad"
HELP = "evaluate the symbolically derived gradient at a point read from a JSON file"
ORDER = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_network_arguments(parser)
    parser.add_argument("--point", required=True, metavar="FILE",
                        help='JSON {"W1": [[...]], "b1": [...], ..., "x": [...], "y": [...]}; x and y may be '
                             "mini-batches (lists of examples; loss and gradient summed over them)")
    parser.add_argument("--json", action="store_true", help="print JSON (the default output is JSON too)")


def run(args: argparse.Namespace) -> int:
    require_values(args.activation, "evaluate a gradient at a point with")
    spec = network_from_args(args)
    evaluation = evaluate_gradient(spec, load_point(args.point, spec, batch=True))
    sys.stdout.write(dumps(data(evaluation)))
    if largest_entry([evaluation.loss, *evaluation.gradients.values()]) == float("inf"):
        sys.stderr.write("symcheck grad: the loss or the gradient is not a finite real number at this point\n")
        return EXIT_UNDECIDED
    if not evaluation.cross_check.passed:
        sys.stderr.write("symcheck grad: the symbolic gradient disagrees with the NumPy reference\n")
        return EXIT_UNDECIDED
    return EXIT_OK
