"""The three verdicts of every claim symcheck decides, and the one rule that combines them.

``Status`` is a ``str`` enum, so a verdict compares equal to its word ("proved"),
hashes like it (a table keyed by words finds it) and prints and serialises as it.
"""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    PROVED = "proved"
    REFUTED = "refuted"
    UNDECIDED = "undecided"

    # equal strings hash alike, so tables keyed by "proved" find Status.PROVED
    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


PROVED, REFUTED, UNDECIDED = Status.PROVED, Status.REFUTED, Status.UNDECIDED


def combine(*statuses) -> Status:
    """The verdict of a conjunction of claims: refuted if any part is refuted, else
    undecided if any part is undecided, else proved.

    The conjunction of no claims is *proved* (it holds vacuously: a network without
    hidden units has no ties to keep). A caller for whom "nothing was checked" must not
    pass as a proof says so before calling (``theorems.runner`` always has at least one
    case)."""
    values = [Status(s) for s in statuses]
    if REFUTED in values:
        return REFUTED
    if UNDECIDED in values:
        return UNDECIDED
    return PROVED


__all__ = ["PROVED", "REFUTED", "Status", "UNDECIDED", "combine"]
