"""Analyze's verdict sentence, written once for every format: which case an ``Analysis`` is in
(``verdict_case``, ``dead_units_case``) and the sentence itself (``verdict_sentence``: a
``VerdictHead``, prose and statuses), which ``render.text_analysis`` and ``render.latex_analysis``
print each in its own markup."""

from __future__ import annotations

from dataclasses import dataclass
from ..exact.verdict import PROVED, REFUTED, UNDECIDED, Status


def dead_proved(f) -> bool:
    return f.dead_claim is not None and f.dead_claim.verdict == PROVED


def verdict_case(a: Analysis) -> str:
    """Which verdict sentence ``a`` gets, read from ``a.tie_verdict`` (every format words the same
    case): "functional proved" or "functional refuted" (functional ties were claimed), "distinct"
    (no twins: nothing to keep tied), "twins proved", "twins refuted", or "undecided"."""
    f = a.functional
    if f is not None and f.ties is not None and a.tie_verdict != UNDECIDED:
        return f"functional {a.tie_verdict}"
    if a.tie_verdict == PROVED and (a.twins is None or a.partition.is_trivial):
        return "distinct"
    return f"twins {a.tie_verdict}" if a.tie_verdict != UNDECIDED else str(UNDECIDED)


#: ``dead_units_case``: the dead units were proved dead and the live widths exclude them
EXCLUDED = "excluded"


def dead_units_case(a: Analysis):
    """What the verdict sentence adds about units dead at the start: None (nothing to add: no
    dead units, or functional ties speak of live widths already), ``EXCLUDED``, or the verdict of
    the claim "dead units stay dead" that was not proved (the live widths then exclude no unit)."""
    f = a.functional
    if f is None or not any(f.dead) or f.ties is not None:
        return None
    if dead_proved(f):
        return EXCLUDED
    return f.dead_claim.verdict if f.dead_claim is not None else UNDECIDED


@dataclass(frozen=True)
class VerdictHead:
    """The opening of the verdict sentence, "Verdict: PROVED." in text, bold in LaTeX; no status
    for the "distinct" case ("Verdict: every hidden unit is distinct ...")."""

    status: Status | None


def verdict_sentence(a: Analysis) -> tuple:
    """The verdict sentence of ``a`` once for every format: a ``VerdictHead``, then prose (``str``)
    and statuses (a ``Status``, printed as each format marks one) -- the case of ``verdict_case``,
    then what ``dead_units_case`` adds."""
    case, f = verdict_case(a), a.functional
    widths = ", ".join(str(w) for w in a.partition.effective_widths)
    if case == "functional proved":
        functional = ", ".join(str(w) for w in f.partition.effective_widths)
        live = ", ".join(str(w) for w in f.live_widths)
        parts = (VerdictHead(PROVED), " The functional classes persist at every step: tied although the weights "
                 f"differ, the hidden layers train like a network of widths {functional} (live {live}).")
    elif case == "functional refuted":
        parts = (VerdictHead(REFUTED), f" {a.optimizer.name} separates units that were functionally tied "
                 f"(see the counterexample); twin classes: {a.twins.verdict if a.twins else 'none'}.")
    elif case == "distinct":
        parts = (VerdictHead(None), f" every hidden unit is distinct at the start (effective widths {widths}).")
    elif case == "twins proved":
        parts = (VerdictHead(PROVED), " The twin classes persist at every step: the hidden layers train "
                 f"with effective widths {widths}.")
    elif case == "twins refuted":
        parts = (VerdictHead(REFUTED), f" {a.optimizer.name} separates twins (see the counterexample).")
    else:
        parts = (VerdictHead(UNDECIDED), " (some identity could be neither proved nor refuted).")
    dead = dead_units_case(a)
    if dead == EXCLUDED:
        parts += (f" Live widths (units proved dead excluded): {', '.join(str(w) for w in f.live_widths)}.",)
    elif dead is not None:
        parts += (" Dead units: ", dead, "; the live widths exclude no unit.")
    return parts
