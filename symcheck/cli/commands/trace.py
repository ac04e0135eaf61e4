"""symcheck trace: step by step, which gradients are identically zero, what moves,
which invariants hold -- decided for every input, target and learning rate."""

from __future__ import annotations

import argparse

from ...initialization.patterns import parse_init
from ...induction.trace import MAX_STEPS, trace
from .. import EXIT_OK
from ..output_options import add_format_arguments, output_format, write_result
from ..options import add_network_arguments, int_option, network_from_args
from .analyze import add_init_argument

NAME = "trace"
HELP = "trace gradient descent step by step: zero gradients, moving parameters, invariants"
ORDER = 16


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_network_arguments(parser)
    add_init_argument(parser, "W=0,b=0")
    parser.add_argument("--steps", type=int_option(1, MAX_STEPS), default=3, metavar="N",
                        help=f"number of steps, 1..{MAX_STEPS} (default: 3; expressions nest with every step)")
    add_format_arguments(parser)


def run(args: argparse.Namespace) -> int:
    output = output_format(args)
    spec = network_from_args(args)
    result = trace(spec, parse_init(args.init, args.seed), args.steps, args.seed)
    write_result(result, output, args)
    return EXIT_OK
