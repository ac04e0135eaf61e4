"""Helpers for tests that compile LaTeX with the real toolchain."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from needs import needs

TOOLS = ("pdflatex", "latexmk", "pdftotext")


def require_tex() -> None:
    """Skip (reason "needs ...") without the TeX toolchain; CI turns that skip into a failure."""
    needs(*TOOLS)


def log_problems(log: Path) -> list[str]:
    """Errors, undefined references/citations and missing files in a LaTeX log."""
    text = log.read_text(encoding="latin-1")
    patterns = (r"^! .*", r".*undefined.*", r".*Undefined.*", r".*File `[^']*' not found.*",
                r".*There were undefined references.*", r".*Rerun to get cross-references right.*")
    return [m.group(0) for pattern in patterns for m in re.finditer(pattern, text, re.MULTILINE)]


def compile_tex(tex: Path) -> Path:
    """latexmk -pdf; return the PDF. Fails the test with the log's errors."""
    require_tex()
    done = subprocess.run(["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", tex.name],
                          cwd=tex.parent, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=300)
    log = tex.with_suffix(".log")
    problems = log_problems(log) if log.exists() else ["no log written"]
    assert done.returncode == 0 and not problems, f"{tex.name}: {problems[:5]}"
    return tex.with_suffix(".pdf")


def pdf_text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())
