"""Optional tools a test needs: it skips, with a reason starting ``needs ``, when one is missing.

This is the one mechanism for optional tools (TeX, pdftotext, matplotlib, and any
solver or proof assistant a test calls). ``tests/conftest.py`` turns every skip
whose reason starts with ``needs `` into a failure when ``SYMCHECK_REQUIRE_TOOLS=1``
(as ``.ci/run`` sets it), so CI runs these tests for real while a fresh machine
without the tools still passes, with the skips shown."""

from __future__ import annotations

import importlib
import shutil

import pytest

PREFIX = "needs "
REQUIRE_VARIABLE = "SYMCHECK_REQUIRE_TOOLS"

TEX = "install texlive-latex-base texlive-latex-recommended texlive-fonts-recommended (Debian)"
#: How to get each tool; programs are looked up on PATH, the rest are Python modules.
INSTALL = {
    "pdflatex": TEX,
    "latexmk": "install latexmk (Debian)",
    "pdftotext": "install poppler-utils (Debian)",
    "matplotlib": 'python -m pip install -e ".[handout]"',
}
PROGRAMS = ("pdflatex", "latexmk", "pdftotext")


def missing(*tools: str) -> list[str]:
    """The tools of ``tools`` that are not available here."""
    return [tool for tool in tools if not _available(tool)]


def needs(*tools: str) -> None:
    """Skip the calling test (or module) unless every tool is available."""
    absent = missing(*tools)
    if absent:
        how = "; ".join(dict.fromkeys(INSTALL.get(tool, f"install {tool}") for tool in absent))
        pytest.skip(f"{PREFIX}{', '.join(absent)} ({how})", allow_module_level=True)


def _available(tool: str) -> bool:
    """A program on PATH, or else (unless it is only ever a program) an importable Python module."""
    if shutil.which(tool) is not None:
        return True
    if tool in PROGRAMS:
        return False
    try:
        importlib.import_module(tool)
    except ImportError:
        return False
    return True
