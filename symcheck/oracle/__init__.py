"""The numeric side: a float64 reference, an exact replayer, numeric training."""
