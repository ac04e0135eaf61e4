"""Theorem files: claims about training kept as TOML files and checked like tests."""

from .claims import ClaimKind, Verdict
from .kinds import CLAIMS
from .runner import Outcome, decide, exit_code, run_theorems
from .theorem import Theorem, discover, load_theorem

__all__ = ["CLAIMS", "ClaimKind", "Outcome", "Theorem", "Verdict", "decide", "discover", "exit_code",
           "load_theorem", "run_theorems"]
