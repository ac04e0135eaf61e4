"""The handout as one document: the body's sections, the exercises, the key when inline and the
machine appendix when asked for."""

from __future__ import annotations

from .handout_exercises import answers_tex, exercises_tex
from .handout_tex import SECTIONS, TITLE, HandoutPrinter, appendix_tex, definitions_tex
from .texutil import standalone


def handout_tex(handout: Handout, figure_stem: str, *, answers: str = "separate", paper: str | None = None,
                **settings) -> str:
    """The complete handout; figures are read from ``<figure_stem>-weights.pdf`` and ``-loss.pdf``.
    ``answers``: inline (the key after the exercises), separate or none (no key in this document)."""
    printer = HandoutPrinter(settings)
    body = "".join(section(printer, handout) for section in SECTIONS)
    body += exercises_tex(printer, handout.exercises)
    if answers == "inline":
        body += answers_tex(printer, handout.exercises)
    if handout.appendix:
        body += appendix_tex(printer, handout)
    return standalone(body, TITLE, definitions_tex(figure_stem), paper)
