"""Command-line front end: a thin layer over the public API.

Each subcommand lives in its own module under ``symcheck/cli/commands/`` and
exposes ``NAME``, ``HELP``, ``ORDER``, ``add_arguments(parser)`` and
``run(args) -> int``. Modules are discovered, so adding a command touches no
shared file.

Exit codes (DESIGN.md §2): 0 proved / success, 1 refuted, 2 bad input,
3 undecided.

Every command runs inside one budget (``symcheck.budget``): ``--timeout``
(a module's ``TIMEOUT``, else ``options.DEFAULT_TIMEOUT``), ``--max-memory``
and progress on stderr. A command that manages its own per-item deadlines
sets ``OWN_TIMEOUT = True`` (``check``: one per theorem). stdout is collected
and written only when the command has finished, so a run stopped by its budget
prints nothing half-way.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import pkgutil
import sys

from .. import budget
from . import commands
from ..errors import SymcheckError, one_line
from ..exact.verdict import PROVED, REFUTED, UNDECIDED
from ..model.literals import clipped
from .options import DEFAULT_TIMEOUT, add_budget_arguments
from ..symbolic.recursion import allow_deep_recursion

EXIT_OK, EXIT_REFUTED, EXIT_BAD_INPUT, EXIT_UNDECIDED = 0, 1, 2, 3
#: The exit code of each verdict of a proof.
VERDICT_EXIT = {PROVED: EXIT_OK, REFUTED: EXIT_REFUTED, UNDECIDED: EXIT_UNDECIDED}


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        sys.stderr.write(f"{self.prog}: error: {one_line(message)} (see '{self.prog} --help')\n")
        sys.exit(EXIT_BAD_INPUT)


def _commands():
    modules = [
        importlib.import_module(f"{commands.__name__}.{info.name}")
        for info in pkgutil.iter_modules(commands.__path__)
        if not info.name.startswith("_")
    ]
    return sorted(modules, key=lambda module: (module.ORDER, module.NAME))


def build_parser(defaults: bool = True) -> argparse.ArgumentParser:
    """The command-line parser; ``defaults=False`` leaves out every option's default,
    so that parsing with it shows which options were given (``given_options``)."""
    parser = _Parser(
        prog="symcheck",
        description="Symbolic proofs about how neural networks train.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for module in _commands():
        sub = subparsers.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        add_budget_arguments(sub, getattr(module, "TIMEOUT", DEFAULT_TIMEOUT))
        if not defaults:
            for action in sub._actions:  # argparse has no public way to list a parser's arguments
                action.default = argparse.SUPPRESS
        sub.set_defaults(run=module.run, own_timeout=getattr(module, "OWN_TIMEOUT", False))
    return parser


def given_options(argv: list[str] | None) -> frozenset:
    """The destinations of the options given on the command line (not filled in from defaults):
    a command rejects an option it would not use rather than ignore it silently."""
    given = vars(build_parser(defaults=False).parse_args(argv))
    return frozenset(given) - {"command", "run", "own_timeout"}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.given = given_options(argv)
    allow_deep_recursion()
    seconds = None if args.own_timeout else (args.timeout or None)
    output = io.StringIO()
    try:
        with budget.Progress(args.command, budget.progress_after(args.progress, args.quiet),
                             threaded=not args.own_timeout):
            with budget.limit(seconds, args.max_memory, f"running symcheck {args.command}"), \
                    contextlib.redirect_stdout(output):
                code = args.run(args)
    except budget.BudgetExceeded as error:
        sys.stderr.write(f"symcheck {args.command}: undecided: {one_line(error)}\n")
        return EXIT_UNDECIDED
    except SymcheckError as error:
        sys.stderr.write(f"symcheck {args.command}: error: {one_line(error)}\n")
        return EXIT_BAD_INPUT
    except RecursionError:
        sys.stderr.write(f"symcheck {args.command}: undecided: the expressions nest too deeply "
                         "for SymPy (a recursion limit was reached); use fewer layers\n")
        return EXIT_UNDECIDED
    except KeyboardInterrupt:
        sys.stderr.write("symcheck: interrupted\n")
        return 130
    except OSError as error:  # a file the command writes (a report, a plot)
        return _environment_error(args.command, error)
    return _write_stdout(output.getvalue(), args.command, code)


def _write_stdout(text: str, command: str, code: int) -> int:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (symcheck ... | head): not an error of ours; keep
        # Python from complaining again when it flushes stdout at exit
        _discard_stdout()
        return EXIT_OK
    except OSError as error:
        return _environment_error(command, error)
    return code


def _environment_error(command: str, error: OSError) -> int:
    """The environment refused (a full disk, /dev/full, a name too long): exit 2 like bad
    input, since the command could not do what it was asked."""
    if error.filename is None:
        _discard_stdout()
    what = "cannot write output" if error.filename is None else clipped(str(error.filename))
    sys.stderr.write(f"symcheck {command}: error: {one_line(what)} ({_reason(error)})\n")
    return EXIT_BAD_INPUT


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so the flush at interpreter exit cannot fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real descriptor (captured in tests)
        sys.stdout = open(os.devnull, "w")


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
