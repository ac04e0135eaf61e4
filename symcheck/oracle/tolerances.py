"""Every tolerance of a floating-point comparison, in one table.

Each entry is named for what it compares, and its comment says why its value is
right: how much float64 rounding the compared computations accumulate (one
operation rounds by at most 2^-53 ~ 1.1e-16 relative), and how far above that
the value sits. Comparisons are relative, entry by entry
(``numeric.relative_gaps``): each entry against its own size or against the
terms it is computed from, never against the largest entry anywhere. Exact
comparisons (the decider, the replayer in rationals, bitwise ``==`` of tied
floats) need no entry: exact and floating-point are different verdicts. The
replayer's 60-digit comparison has its own threshold beside it
(``replay.DIFFERENCE_THRESHOLD``), as the decider has its precision policy.

One tolerance lives outside this table, because its module sits below ``oracle/`` in the
layers: ``model.model_files.ONNX_ATTRIBUTE`` (1e-7), an activation attribute of an ONNX
file (a float32) against PyTorch's default, relative to the default.
"""

#: The same formula computed by two float64 routes in different orders -- a symbolic gradient or
#: update evaluated at 60 digits and rounded, NumPy backprop, a plain-Python backprop, the quotient
#: lemma's block sums -- each entry relative to the terms it is summed from. An entry of a deep
#: network passes through 10^2..10^3 roundings, so honest routes agree to ~1e-13; a wrong rule
#: gives gaps of order 1. 1e-9 leaves room for deep networks and long sums and stays far below
#: any real mistake.
SAME_FORMULA = 1e-9

#: A value claimed in a theorem file (a gradient entry, a loss) against the computed one, when the
#: theorem gives no tolerance of its own: claims are printed numbers, so any claim printed with ten
#: or more significant digits of the true value passes, and a wrong digit before that fails.
CLAIMED_VALUE = 1e-9

#: Units that exact arithmetic keeps equal but float64 computes from different numbers (the block
#: sums of a functional class, twins under a rule that reorders their updates, the weights of a
#: K = 0 network), relative to their own size over a short float run (<= 100 steps): each step adds
#: ~1e-16 per operation, so a kept tie stays below ~1e-12; above 1e-9 the units have separated.
#: Below it they are tied "to a tolerance", never "bitwise" (that is ``==``, ``ties.untied``).
TIE_DRIFT = 1e-9

#: The default tolerance of ``symcheck.torch.TieMonitor`` for ties of a live model trained in float32
#: (relative to the class's largest entry): float32 rounds at 6e-8 relative per operation, so twins
#: that a kernel treats alike stay bitwise, functional ties drift to ~1e-6 within tens of steps
#: (docs/scan.md); above 1e-6 a tie counts as broken.
FLOAT32_TIE_DRIFT = 1e-6

#: Entries that one float64 evaluation or one step from a tied point leaves tied when they are not
#: bitwise equal (a start drawn for a tied hypothesis, the entries after one NumPy step), relative to
#: their own size: a handful of roundings, ~1e-15; 1e-12 leaves a thousandfold room.
ONE_STEP_TIE = 1e-12

#: A tied network's outputs against its rescaled width-1 network's (forward passes only, K <= 4,
#: widths <= 8), each output relative to its terms: a few dozen roundings, ~1e-15; 1e-12 leaves a
#: thousandfold room, while without the rescaling the outputs differ by order 1.
COLLAPSE = 1e-12

#: A kept invariant counts as broken by a short float run (two full-batch steps, learning rate 0.1)
#: when its entries spread by more than this, relative to themselves: a tie that holds stays within
#: ~1e-15, while a dropped hypothesis moves the entries apart by order eta |g| ~ 1e-2; 1e-6 sits far
#: from both.
SEPARATED_BY_TRAINING = 1e-6

#: A network and its quotient trained side by side in float64 (<= 100 steps): the losses relative to
#: max(1, |loss|). Both runs are the same real computation in different groupings; the loss gathers
#: ~1e-16 per operation per step, ~1e-14 over a run; 1e-12 leaves a hundredfold room.
QUOTIENT_LOSS = 1e-12

#: A NumPy update of an O(1) parameter smaller than this (absolute) counts as "did not move": an
#: identically zero gradient gives exactly 0, a real one of the handout's examples ~1e-3 or more.
UNMOVED = 1e-12

#: A float recognised as a known constant for display (PyTorch's tanh gain 5/3): the same number
#: computed in another order differs by an ulp, ~2e-16; any other gain differs by far more.
KNOWN_CONSTANT = 1e-12

#: A pre-activation closer than this (absolute) to a kink of ReLU or leaky ReLU counts as at the
#: kink, where the one-sided derivatives differ: z is computed from O(1) values with ~1e-16
#: rounding, so an exact kink lands within 1e-9 and a point meant to be off the kink does not.
KINK = 1e-9

#: How far, relative to its terms, rounding may move a pre-activation (many roundings of 1e-16,
#: with room); used to tell a rounding effect of sigma'(z) from a jump (``numeric._slope_change``).
Z_ROUNDING = 1e-5

#: The rounding noise of a central difference is ~1e-16 |L| / 1e-6 = 1e-10 |L|; 1e-4 |L| floors
#: each entry so that a 1e-5 relative comparison is above that noise. Finite differences only
#: confirm: a claim is never proved without the per-entry NumPy check.
FINITE_DIFFERENCE_NOISE = 1e-4

#: Central finite differences against backprop, relative to each entry floored by
#: ``FINITE_DIFFERENCE_NOISE``: the truncation error of a 1e-6 step is ~1e-12 relative and the
#: floored noise 1e-6; 1e-5 sits above both.
FINITE_DIFFERENCE = 1e-5

#: The step of a central finite difference: ~sqrt(float64 epsilon) times the O(1) parameters,
#: balancing truncation (step^2) against rounding (1e-16 / step).
FINITE_DIFFERENCE_STEP = 1e-6
