"""Backpropagation derived with SymPy: the equations and the gradients."""
