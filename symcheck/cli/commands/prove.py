"""symcheck prove: the constant-initialization symmetry theorem for one network."""

from __future__ import annotations

import argparse

from ...initialization.inits import INIT_NAMES
from ...model.optimizers import OPTIMIZERS, get_optimizer
from ...initialization.patterns import parse_init
from ...induction.class_proof import prove
from .. import VERDICT_EXIT
from ..general_output import add_general_arguments, require_widths, run_general
from ..kernel_options import add_kernel_arguments, apply_kernels, check_kernel_arguments
from ..output_options import add_format_arguments, output_format, write_result
from ..options import add_network_arguments, add_seed_argument, network_from_args

NAME = "prove"
HELP = "prove (or refute) that training keeps the hidden units of every layer tied"
ORDER = 10


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_network_arguments(parser, widths_required=False)  # not needed with --general
    parser.add_argument("--init", default="constant",
                        help=f"initialization: {', '.join(INIT_NAMES)}, a pattern such as "
                             '"W=0,b=random", or a JSON file (default: constant)')
    parser.add_argument("--optimizer", default="sgd", metavar="NAME",
                        help=f"update rule: {', '.join(OPTIMIZERS)} (default: sgd)")
    add_seed_argument(parser, "seed for random initial values")
    add_format_arguments(parser)
    add_kernel_arguments(parser)
    add_general_arguments(parser)


def run(args: argparse.Namespace) -> int:
    output = output_format(args)
    check_kernel_arguments(args)
    if args.general:
        return run_general(args, output)
    require_widths(args)
    spec = network_from_args(args)
    optimizer = get_optimizer(args.optimizer).name
    proof = prove(spec, parse_init(args.init, args.seed), args.seed, optimizer=optimizer)
    proof = apply_kernels(proof, args, NAME)
    write_result(proof, output, args)
    return VERDICT_EXIT[proof.verdict]
