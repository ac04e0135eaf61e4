"""``analyze`` carries two verdicts on its result: ``verdict`` (every claim, the exit code) and
``tie_verdict`` (the tie claims alone, which the "Verdict:" sentence states). Every printer
reads them from the result; none recombines the claims."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from symcheck.exact.verdict import PROVED, REFUTED, UNDECIDED, combine
from symcheck.functional.analysis import analyze_functional
from symcheck.initialization.patterns import parse_init
from symcheck.model.spec import MLP
from symcheck.render.data import data
from symcheck.render.latex import latex
from symcheck.render.text import text
from theorem_helpers import PROOFS


@pytest.fixture(scope="module")
def revived():
    # seed 3 draws b1 = (31/50, -41/50, -16/25): units 1 and 2 are dead at the start, and
    # adam_l2 can revive them (the dead-units claim is refuted); no unit has a twin
    return analyze_functional(MLP((2, 3, 1), "relu", "mse"), parse_init("W=0,b1=random,b=0", 3), "adam_l2", 3)


def verdict_line(rendered: str) -> str:
    return next(line for line in rendered.splitlines() if "Verdict" in line)


def test_the_tie_verdict_differs_from_the_overall_one_when_dead_units_may_revive(revived):
    assert revived.functional.dead_claim.verdict == REFUTED
    assert revived.verdict == REFUTED
    assert revived.tie_verdict == PROVED
    assert revived.verdict == combine(revived.tie_verdict, revived.functional.dead_claim.verdict)


def test_text_json_and_latex_state_the_same_verdicts(revived):
    sentence, tex = verdict_line(text(revived)), verdict_line(latex(revived))
    found = data(revived)
    assert (found["verdict"], found["tie_verdict"]) == (REFUTED, PROVED)
    # the ties: no twins, so nothing separates; the dead units: refuted, in both formats
    for rendered in (sentence, tex):
        assert "every hidden unit is distinct at the start" in rendered
        assert "separates" not in rendered
        assert "refuted" in rendered.lower()
        assert "the live widths exclude no unit" in rendered
    dead = next(c for c in found["claims"] if c["name"] == "dead units stay dead")
    assert dead["verdict"] == REFUTED


@pytest.mark.parametrize("tie", [REFUTED, UNDECIDED])
def test_every_printer_reads_the_tie_verdict_from_the_result(revived, tie):
    changed = replace(revived, tie_verdict=tie)
    word = {REFUTED: "refuted", UNDECIDED: "undecided"}[tie]
    assert word in verdict_line(text(changed)).lower().split("dead units")[0]
    assert word in verdict_line(latex(changed)).lower().split("dead units")[0]
    assert data(changed)["tie_verdict"] == tie


def _plain(tex: str) -> str:
    """A LaTeX verdict line as plain words: commands and braces dropped, escapes undone."""
    tex = tex.replace(r"\_", "_").replace(r"\noindent", "")
    return re.sub(r"\\[a-z]+|[{}]", "", tex).strip()


@pytest.mark.parametrize("tie", [PROVED, REFUTED, UNDECIDED])
def test_text_and_latex_state_one_verdict_sentence(revived, tie):
    """Both printers print ``verdict_sentence``: apart from markup and the case of the status
    words they say the same words, dead units included."""
    for shown in (revived, replace(revived, tie_verdict=tie), replace(revived, functional=None, tie_verdict=tie)):
        assert _plain(verdict_line(latex(shown))).lower() == verdict_line(text(shown)).lower()


IDENTITY_MIDDLE = str(PROOFS / "points" / "identity-middle-2-3-3-1.json")


@pytest.mark.parametrize("widths, activation, init, optimizer, opening", [
    ((2, 2, 1), "tanh", "W=0,b=0", "sgd", "verdict: proved. the twin classes persist"),
    ((2, 2, 1), "tanh", "W=0,b=0", "dropout", "verdict: refuted. dropout separates twins"),
    ((2, 3, 1), "tanh", "random", "sgd", "verdict: every hidden unit is distinct"),
    ((2, 3, 3, 1), "tanh", IDENTITY_MIDDLE, "sgd", "verdict: proved. the functional classes persist"),
    ((2, 3, 3, 1), "tanh", IDENTITY_MIDDLE, "dropout", "verdict: refuted. dropout separates units that were"),
])
def test_every_verdict_case_reads_the_same_in_text_and_latex(widths, activation, init, optimizer, opening):
    shown = analyze_functional(MLP(widths, activation, "mse"), parse_init(init), optimizer, 0)
    said = verdict_line(text(shown)).lower()
    assert said.startswith(opening)
    assert _plain(verdict_line(latex(shown))).lower() == said
