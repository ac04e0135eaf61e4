"""Room for SymPy's own recursion on deep networks.

symcheck's walks over expressions are iterative (``evaluation``), but SymPy's
constructors and assumption queries (``Heaviside(z)`` asks whether ``z`` is
negative, ``sqrt`` asks whether it is positive) recurse once per level of
nesting, and a network with K hidden layers nests its expressions about 10 K
deep. Python's default limit of 1000 frames stops that at K of about 100,
well inside the supported 256 (``spec.MAX_HIDDEN_LAYERS``). The command line
raises the limit, and the main thread's stack with it so that the deeper
Python recursion cannot overflow the C stack; a network that still nests too
deeply is reported as undecided, not as a crash.
"""

from __future__ import annotations

import sys

#: Frames; K = 256 needs about 4 000 (measured), so this leaves a wide margin.
RECURSION_LIMIT = 50_000
#: Bytes of main-thread stack for that many frames (Linux grows the stack up to this limit).
STACK_BYTES = 1 << 30


def allow_deep_recursion() -> None:
    """Raise the recursion limit, and the stack limit it needs where the OS allows it."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX: keep the default limit, stay safe
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    wanted = STACK_BYTES if hard == resource.RLIM_INFINITY else min(STACK_BYTES, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_STACK, (wanted, hard))
        except (ValueError, OSError):  # pragma: no cover - refused: keep the default limit
            return
        soft = wanted
    # about 20 KiB of C stack per Python frame at most in SymPy's recursion, measured generously
    frames = RECURSION_LIMIT if soft == resource.RLIM_INFINITY else min(RECURSION_LIMIT, soft // 20_000)
    if frames > sys.getrecursionlimit():
        sys.setrecursionlimit(frames)
