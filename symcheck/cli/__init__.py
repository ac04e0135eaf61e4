"""Command-line front end: a thin layer over the public API.

Each subcommand lives in its own module under ``symcheck/cli/commands/`` and
exposes ``NAME``, ``HELP``, ``ORDER``, ``add_arguments(parser)`` and
``run(args) -> int``. Modules are discovered, so adding a command touches no
shared file.

Exit codes (DESIGN.md §2): 0 proved / success, 1 refuted, 2 bad input,
3 undecided.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from ..errors import SymcheckError
from ..recursion import allow_deep_recursion

EXIT_OK, EXIT_REFUTED, EXIT_BAD_INPUT, EXIT_UNDECIDED = 0, 1, 2, 3
#: The exit code of each verdict of a proof.
VERDICT_EXIT = {"proved": EXIT_OK, "refuted": EXIT_REFUTED, "undecided": EXIT_UNDECIDED}


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        sys.stderr.write(f"{self.prog}: error: {message} (see '{self.prog} --help')\n")
        sys.exit(EXIT_BAD_INPUT)


def _commands():
    from . import commands

    modules = [
        importlib.import_module(f"{commands.__name__}.{info.name}")
        for info in pkgutil.iter_modules(commands.__path__)
        if not info.name.startswith("_")
    ]
    return sorted(modules, key=lambda module: (module.ORDER, module.NAME))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="symcheck",
        description="Symbolic proofs about how neural networks train.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for module in _commands():
        sub = subparsers.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    allow_deep_recursion()
    try:
        return args.run(args)
    except SymcheckError as error:
        sys.stderr.write(f"symcheck {args.command}: error: {error}\n")
        return EXIT_BAD_INPUT
    except RecursionError:
        sys.stderr.write(f"symcheck {args.command}: undecided: the expressions nest too deeply "
                         "for SymPy (a recursion limit was reached); use fewer layers\n")
        return EXIT_UNDECIDED
    except KeyboardInterrupt:
        sys.stderr.write("symcheck: interrupted\n")
        return 130
    except BrokenPipeError:
        # the reader went away (symcheck ... | head): not an error of ours; keep
        # Python from complaining again when it flushes stdout at exit
        sys.stdout = open(os.devnull, "w")
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
