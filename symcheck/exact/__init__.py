"""Exact arithmetic: verdicts (``verdict``), the one equality decider (``decide``) with its
range-aware sampling (``sampling``) and DAG evaluation (``evaluation``), and the decided
identities kept for independent kernels (``identities``)."""
