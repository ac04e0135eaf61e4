"""symcheck derive: the forward and backward equations, layer by layer."""

from __future__ import annotations

import argparse

from ...symbolic.derivation import derive
from .. import EXIT_OK, EXIT_UNDECIDED
from ..output_options import add_format_arguments, output_format, write_result
from ..options import add_network_arguments, network_from_args

NAME = "derive"
HELP = "print the backpropagation equations of a network, checked against an independent route"
ORDER = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_network_arguments(parser)
    add_format_arguments(parser)


def run(args: argparse.Namespace) -> int:
    output = output_format(args)
    derivation = derive(network_from_args(args))
    write_result(derivation, output, args)
    return EXIT_OK if derivation.check.passed else EXIT_UNDECIDED
