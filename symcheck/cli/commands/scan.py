"""symcheck scan: twin classes, functional classes and dead units in a model file's weights,
and whether an optimizer keeps each tie."""

from __future__ import annotations

import argparse

from ...errors import SymcheckError
from ...model.literals import decimal
from ...model.model_files import FORMATS, read_chain
from ...model.optimizers import OPTIMIZERS
from ...scan.report import scan_chain
from .. import VERDICT_EXIT
from ..output_options import add_format_arguments, output_format, write_result
from ..options import add_seed_argument

NAME = "scan"
HELP = "tied, functionally tied and dead units in a model file (safetensors, npz, ONNX, PyTorch state_dict)"
ORDER = 16


def tolerance_option(text: str) -> float:
    """argparse ``type=`` for a relative tolerance in (0, 1)."""
    try:
        value = decimal(text, "value")
    except SymcheckError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("value is ")) from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text} is out of range; give a relative tolerance such as 1e-6 (0 < t < 1)")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="model weights: .safetensors, .npz, .onnx, or a PyTorch "
                        "state_dict (.pt, .pth, .bin)")
    parser.add_argument("--format-of-file", dest="file_format", choices=FORMATS, default=None,
                        help="the file's format when its suffix does not say")
    parser.add_argument("--activation", default=None,
                        help="hidden activation, when the file does not say (safetensors, npz, state_dict)")
    parser.add_argument("--loss", default="mse", help="mse, bce or ce (default: mse; ties do not depend on it)")
    parser.add_argument("--optimizer", default="sgd", metavar="NAME",
                        help=f"update rule whose persistence is proved: {', '.join(OPTIMIZERS)} (default: sgd)")
    parser.add_argument("--tolerance", type=tolerance_option, default=None, metavar="T",
                        help="also report near-ties: units whose numbers differ by at most T relative to their "
                             "size (float evidence, never proved)")
    add_seed_argument(parser, "seed of the counterexample search")
    add_format_arguments(parser)


def run(args: argparse.Namespace) -> int:
    output = output_format(args)
    chain = read_chain(args.file, args.file_format)
    result = scan_chain(chain, args.activation, args.optimizer, args.loss, args.seed, args.tolerance)
    # LaTeX: analyze's document of the same analysis (the file and mapping are in text and JSON)
    write_result(result.analysis if output == "latex" else result, output, args)
    return VERDICT_EXIT[result.verdict]
