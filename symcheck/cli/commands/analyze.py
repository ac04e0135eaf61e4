"""symcheck analyze: twin classes and effective widths of any initialization,
and a proof (or an exact counterexample) that an optimizer keeps the twins tied."""

from __future__ import annotations

import argparse

from ...functional.analysis import analyze_functional
from ...model.optimizers import OPTIMIZERS, get_optimizer
from ...initialization.patterns import parse_init
from .. import VERDICT_EXIT
from ..kernel_options import add_kernel_arguments, apply_kernels, check_kernel_arguments
from ..output_options import add_format_arguments, output_format, write_result
from ..options import add_network_arguments, add_seed_argument, network_from_args

NAME = "analyze"
HELP = "twin classes, effective width and their persistence for any init pattern and optimizer"
ORDER = 15


def add_init_argument(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--init", default=default,
        help='constant, zeros, random, a pattern such as "W=0,b=random" or "W1=random,W2=0,b=0" '
             f"(numbers: 0, 0.5, -1/4), a JSON file of values (exact rationals) or a NumPy .npz "
             f"file with arrays W1, b1, ... (float64, compared exactly) (default: {default})")
    add_seed_argument(parser, "seed for random values")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_network_arguments(parser)
    add_init_argument(parser, "W=0,b=0")
    parser.add_argument("--optimizer", default="sgd", metavar="NAME",
                        help=f"update rule: {', '.join(OPTIMIZERS)} (default: sgd)")
    parser.add_argument("--quotient", action="store_true",
                        help="also print the quotient network (one unit per functional class)")
    add_format_arguments(parser)
    add_kernel_arguments(parser)


def run(args: argparse.Namespace) -> int:
    output = output_format(args)
    check_kernel_arguments(args)
    spec = network_from_args(args)
    optimizer = get_optimizer(args.optimizer)
    init = parse_init(args.init, args.seed)
    result = analyze_functional(spec, init, optimizer, args.seed)
    result = apply_kernels(result, args, NAME)
    write_result(result, output, args, quotient=args.quotient)
    return VERDICT_EXIT[result.verdict]
