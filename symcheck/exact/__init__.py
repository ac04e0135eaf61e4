"""Exact arithmetic: verdicts (``verdict``), the one equality decider (``decide``) with its
range-aware sampling (``sampling``), DAG evaluation (``evaluation``) and the independent
re-check of its witnesses by SymPy's own arithmetic (``recheck``), and the decided identities
kept for independent kernels (``identities``)."""
