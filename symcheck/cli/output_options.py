"""The output options shared by the commands, declared once: --format text|json|latex, the LaTeX
options, and ``write_result``, which prints a result by the printer of the format asked for."""

from __future__ import annotations

import argparse
import sys

from ..errors import InvalidSpec
from ..render.data import data, dumps
from ..render.documents import document_for, fragment_for
from ..render.text import text
from .options import reject_unused

NOTATIONS = ("bracket", "subscript")


def add_latex_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--standalone", action="store_true",
                        help="with --format latex: a complete document that compiles (default: a fragment to \\input)")
    parser.add_argument("--notation", default="bracket", choices=NOTATIONS,
                        help="layer index in LaTeX: W^{[1]} (bracket, default) or W_1 (subscript)")


def latex_output(obj, args: argparse.Namespace) -> str:
    settings = {"layer_notation": args.notation}
    return document_for(obj, **settings) if args.standalone else fragment_for(obj, **settings)


FORMATS = ("text", "json", "latex")


def add_format_arguments(parser: argparse.ArgumentParser,
                         format_help: str = "output format (default: text)") -> None:
    """--format text|json|latex, --json as its short alias, and the LaTeX options."""
    parser.add_argument("--format", default=None, choices=FORMATS, help=format_help)
    parser.add_argument("--json", action="store_true", help="print JSON (same as --format json)")
    add_latex_arguments(parser)


def output_format(args: argparse.Namespace) -> str:
    if args.json and args.format not in (None, "json"):
        raise InvalidSpec(f"format: --json and --format {args.format} contradict each other; give one")
    output = "json" if args.json else (args.format or "text")
    if output != "latex":
        reject_unused(args, ("standalone", "notation"), f"with {output} output (it shapes LaTeX output: "
                                                        "add --format latex)")
    return output


def write_result(result, output: str, args: argparse.Namespace, **text_settings) -> None:
    """Print ``result`` as JSON, LaTeX or text, each by its printer (``render.data``, ``render.latex``,
    ``render.text``); ``text_settings`` go to the text printer."""
    if output == "json":
        sys.stdout.write(dumps(data(result)))
    elif output == "latex":
        sys.stdout.write(latex_output(result, args))
    else:
        sys.stdout.write(text(result, **text_settings))
