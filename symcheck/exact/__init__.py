"""Exact arithmetic: verdicts, deciding equality of expressions, evaluating them at a point."""
