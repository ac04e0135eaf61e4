"""The numeric side, written apart from the symbolic one: it imports nothing above ``model/``
and never loads SymPy (of ``model/`` it uses only the SymPy-free ``spec``, ``activation_forms``,
``loss_forms`` and ``optimizers``). The float64 reference (``numeric``), the exact plain-Python
replayer (``replay``), the one float training loop and data sampler (``training``), the one tie
check (``ties``) and the one table of float tolerances (``tolerances``)."""
