"""Proofs by induction over training steps: subspaces, the step engine, evidence,
the symmetry theorem, twins, traces."""
