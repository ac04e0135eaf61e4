"""Printers, one per output format: ``text.text`` for people, ``data.data`` (JSON-ready dicts)
for machines, ``latex.latex`` for documents and ``notebook.notebook_latex`` for Jupyter.

Each dispatches on the class name of the object it prints (``_print_Proof``, ...), as SymPy's
printers do, so nothing here imports a result module; they print the very objects that were
checked and compute no math."""
