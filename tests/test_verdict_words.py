"""Verdicts are ``Status`` values, not words: no code compares with or builds the bare words
"proved" / "refuted" / "undecided" (printing tables keyed by the words may stay: a ``Status``
finds its word's entry)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from symcheck.cli import main
from symcheck.exact.identities import KernelCheck
from symcheck.exact.verdict import PROVED, Status
from symcheck.render.texutil import PAPERS

PACKAGE = Path(__file__).resolve().parent.parent / "symcheck"
WORDS = {"proved", "refuted", "undecided"}


def bare_words(tree: ast.AST) -> list[int]:
    """Lines where a verdict word is compared with, passed to a call, returned or assigned --
    everywhere but in a printing table (a dictionary's keys and values) or a docstring."""
    tables = {id(k) for node in ast.walk(tree) if isinstance(node, ast.Dict) for k in node.keys + node.values
            if k is not None}
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in WORDS and id(node) not in tables | docstrings]


def test_the_check_finds_a_bare_verdict():
    assert bare_words(ast.parse('if verdict != "proved":\n    pass')) == [1]
    assert bare_words(ast.parse('status = "holds" if ok else "undecided"')) == [1]
    assert bare_words(ast.parse('f(c.verdict != "refuted")')) == [1]
    assert bare_words(ast.parse('MARK = {"proved": "proved"}\nMARK[PROVED]')) == []


def test_no_module_uses_bare_verdict_words():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "verdict.py":  # where the words become the enum
            continue
        lines = bare_words(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            found[str(path.relative_to(PACKAGE))] = lines
    assert not found, f"verdict words where a Status belongs: {found}"


def test_a_kernel_check_status_is_a_status():
    check = KernelCheck("z3", "proved", (("proved", 2),))
    assert check.status is PROVED and isinstance(check.status, Status)
    with pytest.raises(ValueError):
        KernelCheck("z3", "holds", ())


def test_the_handout_command_offers_the_one_list_of_paper_sizes(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["handout", "-o", "h.pdf", "--paper", "a5"])
    assert raised.value.code == 2
    error = capsys.readouterr().err
    assert all(repr(paper) in error for paper in PAPERS)
