"""Where training starts: constant, pattern, file and catalogue initializations, and why
the scaled ones scale as they do (variance, signal propagation)."""
