"""Bound variables renamed by position, so that two sums that differ only in the names of their
summation indices compare (and print) alike."""

from __future__ import annotations

import sympy as sp


def canonical_bound_variables(expr: sp.Expr) -> sp.Expr:
    """Rename the bound variable of every Sum to k<depth>.

    Entries of matrix products are sums over fresh dummies, so two derivations of
    the same entry differ only in those names; renaming bound variables by
    position does not change the value."""
    def rebuild(node, depth):
        if not node.args:
            return node
        if isinstance(node, sp.Sum):
            renames = {}
            limits = []
            for k, (variable, low, high) in enumerate(node.limits):
                fresh = sp.Symbol(f"k{depth}_{k}", integer=True)
                renames[variable] = fresh
                limits.append((fresh, rebuild(low, depth), rebuild(high, depth)))
            body = rebuild(node.function.xreplace(renames), depth + 1)
            return sp.Sum(body, *limits)
        return node.func(*(rebuild(arg, depth) for arg in node.args))

    return rebuild(expr, 0)
