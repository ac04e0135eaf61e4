"""Rewording tests: the same formulas in other prose, and the formulas a LaTeX text sets.

A printer that typesets formulas from structure prints the same math whatever the prose
around it says; one that parsed formulas out of sentences would not."""

from __future__ import annotations

from symcheck.model.sentence import Sentence


def in_other_prose(sentence: Sentence) -> Sentence:
    """The same formulas in other prose: every prose part says something else."""
    return Sentence(tuple(f"[{part.upper()}]" if isinstance(part, str) else part for part in sentence.parts))


def math_parts(tex: str) -> list[str]:
    """The inline formulas of a LaTeX text, in order."""
    return tex.split("$")[1::2]
