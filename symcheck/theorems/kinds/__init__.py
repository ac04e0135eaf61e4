"""The claim registry ``CLAIMS``: kind name -> ``ClaimKind``, one module per kind.

Each module here defines ``KIND`` (see ``symcheck.theorems.claims``) and is
discovered when this package loads, so a new kind of claim is a new file.
Modules whose names start with ``_`` are helpers shared by the kinds.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..claims import ClaimKind


def _discover() -> dict[str, ClaimKind]:
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[module.KIND.name] = module.KIND
    return dict(sorted(found.items()))


CLAIMS: dict[str, ClaimKind] = _discover()
