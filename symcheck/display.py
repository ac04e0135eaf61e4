"""How result objects show themselves in Jupyter: one mix-in, one lazy import.

As SymPy's ``Printable._repr_latex_`` does, the mix-in imports the printer only
when a notebook asks for LaTeX, so a result module never imports ``render``
and ``render`` never needs to import a result module: the printer dispatches
on the class name (``_print_Proof``, ``_print_Analysis``, ...).
This module imports nothing of symcheck at import time."""

from __future__ import annotations


class LatexDisplay:
    """Mix-in for result classes: Jupyter shows them in math mode (MathJax/KaTeX)."""

    __slots__ = ()

    def _repr_latex_(self) -> str:
        # The one import inside a function body on the rendering path: the printer sits above
        # every result module, so importing it at module level would make a cycle.
        from .render.notebook import notebook_latex

        return notebook_latex(self)
