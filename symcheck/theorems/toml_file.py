"""Reading a TOML file safely and pointing at the line a field is on.

``tomllib`` reports positions only for syntax errors; for everything found
later (unknown keys, wrong types) ``locate`` scans the text for the key, so a
message can still say ``proofs/x.toml:12: network.widths: ...``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..errors import InvalidSpec, InvalidTheorem
from ..model.literals import exact_float
from ..model.textfile import read_text_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 has no tomllib; tomli is the same parser
    import tomli as tomllib

MAX_THEOREM_BYTES = 1024 * 1024
_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def read_toml(path: Path) -> tuple[dict, str]:
    """The parsed table and the text (for ``locate``); one-line errors naming the file."""
    text = read_text_file(path, "a theorem file (.toml)", MAX_THEOREM_BYTES)
    if text.startswith("\ufeff"):
        raise InvalidTheorem(f"{path}:1: starts with a byte-order mark; save it as UTF-8 without BOM")
    if not text.strip():
        raise InvalidTheorem(f"{path}: empty file; a theorem needs statement, expect, [network] and [claim]")
    try:
        # decimals keep their literal (``ExactFloat``) so that exact claims compare what was written
        data = tomllib.loads(text, parse_float=exact_float)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _POSITION.search(message)
        if match:
            line = match.group(1)
            message = f"{message[:match.start()]} (column {match.group(2)})"
        else:
            line = str(text.count("\n") + (0 if text.endswith("\n") else 1))
            message = message.replace(" (at end of document)", " at the end of the file")
        raise InvalidTheorem(f"{path}:{line}: not valid TOML: {message}") from None
    except InvalidSpec as error:  # a decimal literal too long, or its exponent beyond a float's range
        raise InvalidTheorem(f"{path}: {error}") from None
    except RecursionError:
        raise InvalidTheorem(f"{path}: not valid TOML: nested too deeply") from None
    except ValueError:  # int() of a literal with thousands of digits, inside the parser
        raise InvalidTheorem(f"{path}: not valid TOML: a number literal is too long "
                             "(more than 4300 digits)") from None
    return _shallow(data, path), text


#: No theorem file nests tables and arrays deeper than this; the limit does not depend on
#: the interpreter's recursion limit (the command line raises it for SymPy, see ``recursion``).
MAX_NESTING = 32


def _shallow(data: dict, path: Path) -> dict:
    """``data``, after checking (without recursion) that it nests at most MAX_NESTING deep."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            raise InvalidTheorem(f"{path}: not valid TOML: nested too deeply (more than {MAX_NESTING} levels)")
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return data


def locate(text: str, field: str) -> int | None:
    """The line where ``field`` ("network.widths", "claim") is defined, or of its closest parent."""
    parts = field.split(".")
    while parts:
        line = _find(text, ".".join(parts[:-1]), parts[-1])
        if line is not None:
            return line
        parts = parts[:-1]
    return None


def _find(text: str, table: str, key: str) -> int | None:
    current = ""
    full = f"{table}.{key}" if table else key
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        header = re.match(r"\[\s*([^\[\]]+?)\s*\]", line)
        if header and not line.startswith("[["):
            current = header.group(1).replace(" ", "")
            if current == full:
                return number
            continue
        assignment = re.match(r"([A-Za-z0-9_.\-\" ]+?)\s*=", line)
        if assignment is None:
            continue
        name = assignment.group(1).replace(" ", "").replace('"', "")
        if (f"{current}.{name}" if current else name) == full:
            return number
    return None
