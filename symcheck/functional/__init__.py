"""Functional symmetry: equitable partitions, dead units, the quotient network."""
