"""The numeric side, written apart from the symbolic one and importing nothing above ``model/``:
the float64 reference (``numeric``), the exact plain-Python replayer (``replay``), the one float
training loop and data sampler (``training``), the one tie check (``ties``) and the one table of
float tolerances (``tolerances``)."""
