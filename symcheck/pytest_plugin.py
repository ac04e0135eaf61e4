"""pytest plugin: theorem files are test items, so ``python -m pytest proofs/`` checks them.

Registered through the ``pytest11`` entry point. A ``.toml`` file is a theorem
file when it lies in a theorem directory (a directory named ``proofs``, or as
set by the ini option ``symcheck_theorem_dirs``) or when it looks like one: at
its top level it sets ``statement`` or ``expect`` or opens a ``[claim]`` table
(or a close misspelling of one of them). That test is a scan of the lines, not
a parse, so a theorem file with a TOML syntax error or a misspelled key is
still recognised; a theorem file that cannot be loaded is a collection error
with the one-line reason, as ``symcheck check`` reports it, never a silent skip.
Each theorem runs in a child process with the per-theorem deadline of
``symcheck check`` (ini option ``symcheck_timeout``); a failure shows the
expected and actual verdicts and the evidence (the counterexample).
"""

from __future__ import annotations

import difflib
import re

import pytest

from .errors import SymcheckError, TheoremFailed
from .model.textfile import read_text_file
from .theorems.runner import DEFAULT_TIMEOUT
from .theorems.toml_file import MAX_THEOREM_BYTES

#: top-level names that only a theorem file sets
SIGNATURE = ("statement", "expect", "claim")
DEFAULT_THEOREM_DIRS = ("proofs",)
_TOP_KEY = re.compile(r'\s*["\']?([A-Za-z0-9_-]+)["\']?\s*=')
_HEADER = re.compile(r"\s*\[\[?\s*[\"']?([A-Za-z0-9_-]+)")


def pytest_addoption(parser):
    parser.addini("symcheck_timeout", f"seconds per theorem file (default {DEFAULT_TIMEOUT:g})",
                  default=str(DEFAULT_TIMEOUT))
    parser.addini("symcheck_theorem_dirs", "names of directories whose .toml files are all theorem files "
                  f"(default: {' '.join(DEFAULT_THEOREM_DIRS)})", type="args", default=list(DEFAULT_THEOREM_DIRS))


def pytest_collect_file(file_path, parent):
    config = parent.config
    if file_path.suffix == ".toml" and _is_theorem_file(file_path, config.getini("symcheck_theorem_dirs"),
                                                        config.rootpath):
        return TheoremFile.from_parent(parent, path=file_path)
    return None


def _is_theorem_file(path, theorem_dirs=DEFAULT_THEOREM_DIRS, root=None) -> bool:
    try:  # only directories below the rootdir count: a checkout inside ~/proofs/ is not a theorem directory
        folders = path.parent.relative_to(root).parts if root is not None else path.parent.parts
    except ValueError:
        folders = path.parent.parts
    if any(folder in theorem_dirs for folder in folders):
        return True
    try:
        text = read_text_file(path, "a theorem file (.toml)", MAX_THEOREM_BYTES)  # bounded, regular files only
    except SymcheckError:  # not a readable text file: not one of ours
        return False
    return looks_like_theorem(text)


def looks_like_theorem(text: str) -> bool:
    """Whether TOML ``text`` sets a top-level key or table only theorem files have (or nearly)."""
    names, in_table = [], False
    for line in text.splitlines():
        header = _HEADER.match(line)
        if header:  # [claim], [claim.expected], [[claim]]: the top-level name counts
            names.append(header.group(1))
            in_table = True
            continue
        key = _TOP_KEY.match(line)
        if key and not in_table:  # keys after a header belong to that table
            names.append(key.group(1))
    return any(difflib.get_close_matches(name.lower(), SIGNATURE, n=1, cutoff=0.8) for name in names)


class TheoremFile(pytest.File):
    def collect(self):
        from .theorems import load_theorem

        try:
            theorem = load_theorem(self.path)
        except SymcheckError as error:
            raise self.CollectError(f"invalid theorem file: {error}") from None
        yield TheoremItem.from_parent(self, name=theorem.name, theorem=theorem)


class TheoremItem(pytest.Item):
    def __init__(self, *, theorem, **kwargs):
        super().__init__(**kwargs)
        self.theorem = theorem

    def runtest(self):
        from .theorems import run_theorems

        timeout = float(self.config.getini("symcheck_timeout")) or None
        (outcome,) = run_theorems([self.theorem], jobs=1, timeout=timeout)
        # a plain str: user properties travel between processes (pytest-xdist), enums cannot
        self.user_properties.append(("verdict", str(outcome.got)))
        if outcome.status != "ok":
            raise TheoremFailed(outcome)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, TheoremFailed):
            from .theorems.report import details

            return "\n".join(details(excinfo.value.args[0]))
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"theorem {self.name} (expect {self.theorem.expect})"
