"""Claim kind ``trace``: what moves at each step of gradient descent from an init.

    [training]
    init = "W=0,b=0"

    [claim]
    kind = "trace"
    initial_invariants = "hold"     # optional: hold | fail (the symmetry invariants at t = 0)

    [[claim.step]]                  # one table per step, in order (at most 6)
    moved = ["W2", "b2"]            # optional: exactly the groups whose gradient is not identically 0
    zero_gradient = ["W1", "b1"]    # optional: exactly the groups whose gradient is 0 for all data
    equal_moves = ["W2"]            # optional: every entry of these groups moves by the same amount
    invariants = "hold"             # optional: hold | fail, after the step

``symcheck.induction.trace.trace`` runs plain gradient descent with fresh symbolic data
at every step. A claimed fact is confirmed only by exact evidence: a zero
gradient is 0 as an expression (for every data sequence and learning rate), a
move is a rational witness replayed by an independent backprop, an equal move
is a syntactic identity, a holding invariant is a syntactic identity and a
failing one is a rational witness whose parameters ``trace`` replays step by
step (plain Python, exact rationals or 60 digits). A fact the engine cannot
decide makes the claim undecided, never proved.
"""

from __future__ import annotations

from ...errors import closest
from ...exact.verdict import PROVED, REFUTED, UNDECIDED, combine
from ...render.data import data as result_data
from ...render.text import text
from ...induction.trace import MAX_STEPS, trace
from ..claims import ClaimKind, Verdict
from ._training import theorem_init, validate_init

STEP_KEYS = ("moved", "zero_gradient", "equal_moves", "invariants")
HOLD, FAIL = "hold", "fail"


def run(theorem, spec) -> Verdict:
    steps = theorem.options["step"]
    init = theorem_init(theorem)
    result = trace(spec, init, steps=len(steps), seed=theorem.training["seed"])
    facts: list[tuple[str, str]] = []  # (status, evidence line)
    if "initial_invariants" in theorem.options:
        facts.append(_invariants(0, result.initial_invariants, theorem.options["initial_invariants"]))
    for claimed, step in zip(steps, result.steps):
        groups = {g.name: g for g in step.groups}
        for key, status_name in (("moved", "moves"), ("zero_gradient", "zero")):
            if key in claimed:
                facts += [_group_fact(step.step, groups[name], name in claimed[key], status_name)
                          for name in spec.parameter_names]
        for name in claimed.get("equal_moves", ()):
            group = groups[name]
            facts.append((PROVED, f"step {step.step}: every entry of {name} moves by the same expression")
                         if group.equal_moves else
                         (UNDECIDED, f"step {step.step}: the entries of {name} do not move by syntactically "
                                     "equal expressions (not decided further)"))
        if "invariants" in claimed:
            facts.append(_invariants(step.step, step.invariants, claimed["invariants"]))
    facts = list(dict.fromkeys(facts))  # a group named in both lists is one fact when both agree
    statuses = [status for status, _ in facts]
    status = combine(*statuses)
    # the refuting facts first: they are the counterexample
    order = {REFUTED: 0, UNDECIDED: 1, PROVED: 2}
    evidence = tuple(("counterexample: " if s == REFUTED else "") + line
                     for s, line in sorted(facts, key=lambda fact: order[fact[0]]))
    name = f"{spec.name} {spec.activation}/{spec.loss}, init {theorem.training['init']}, {len(steps)} steps"
    summary = {PROVED: f"all {len(facts)} claimed facts hold for every data sequence and learning rate",
               REFUTED: f"{statuses.count(REFUTED)} of {len(facts)} claimed facts are false",
               UNDECIDED: f"{statuses.count(UNDECIDED)} of {len(facts)} claimed facts undecided"}[status]
    return Verdict(status, f"{name}: {summary}", evidence, result_data(result))


def _group_fact(step: int, group, listed: bool, status_name: str) -> tuple[str, str]:
    """Is ``group`` in the claimed list exactly when the engine gives it ``status_name``?"""
    where = f"step {step}: {group.name}"
    if group.status == UNDECIDED:
        return UNDECIDED, f"{where}: undecided ({group.method})"
    if group.status == "moves" and not (group.witness and group.witness.rechecked):
        return UNDECIDED, f"{where}: moves, but its witness was not confirmed by the replay"
    shown = (f"moves: {text(group.witness)}" if group.status == "moves"
             else f"zero gradient ({group.method}, for every x, y and eta)")
    agrees = (group.status == status_name) == listed
    claim = "the claim says it " + {("moves", True): "moves", ("moves", False): "does not move",
                                    ("zero", True): "has a zero gradient",
                                    ("zero", False): "does not have a zero gradient"}[(status_name, listed)]
    return (PROVED if agrees else REFUTED), f"{where} {shown}" + ("" if agrees else f"; {claim}")


def _invariants(step: int, statuses, claimed: str) -> tuple[str, str]:
    where = "at the start" if step == 0 else f"after step {step}"
    failing = [s for s in statuses if s.status == "fails"]
    if any(s.status == UNDECIDED for s in statuses):
        return UNDECIDED, f"invariants {where}: some are undecided"
    if not failing:
        line = f"invariants {where}: all {len(statuses)} hold as syntactic identities"
        return (PROVED if claimed == HOLD else REFUTED), line + ("" if claimed == HOLD else "; the claim says one fails")
    status = failing[0]
    confirmed = status.witness.rechecked  # trace replayed the witness step by step
    witness = text(status.witness) if status.witness.point else \
        f"{status.witness.entry} = {status.witness.value} in the initial values"
    line = (f"invariants {where}: {status.description} fails: {witness}; "
            f"parameters replayed independently: {'confirmed' if confirmed else 'NOT confirmed'}")
    if not confirmed:
        return UNDECIDED, line
    return (PROVED if claimed == FAIL else REFUTED), line + ("" if claimed == FAIL else "; the claim says they hold")


def validate(theorem, specs) -> None:
    for key in ("initial_invariants",):
        if key in theorem.options and theorem.options[key] not in (HOLD, FAIL):
            raise theorem.error(f"claim.{key}", f"expected \"hold\" or \"fail\", got {theorem.options[key]!r}")
    steps = theorem.options.get("step")
    if not isinstance(steps, list) or not steps or not all(isinstance(s, dict) for s in steps):
        raise theorem.error("claim.step", "missing; give one [[claim.step]] table per step, e.g. "
                                          "moved = [\"W2\", \"b2\"]")
    if len(steps) > MAX_STEPS:
        raise theorem.error("claim.step", f"{len(steps)} steps; a trace allows at most {MAX_STEPS}")
    names = list(specs[0].parameter_names) if specs else []
    for number, table in enumerate(steps, 1):
        if not table:
            raise theorem.error("claim.step", f"step {number} claims nothing; allowed: {', '.join(STEP_KEYS)}")
        for key, value in table.items():
            if key not in STEP_KEYS:
                hint = closest(key, STEP_KEYS)
                raise theorem.error("claim.step", f"step {number}: unknown key {key!r}; allowed: "
                                                  f"{', '.join(STEP_KEYS)}" + (f" (did you mean {hint!r}?)" if hint else ""))
            if key == "invariants":
                if value not in (HOLD, FAIL):
                    raise theorem.error("claim.step", f"step {number}: invariants: expected \"hold\" or \"fail\", "
                                                      f"got {value!r}")
                continue
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise theorem.error("claim.step", f"step {number}: {key}: expected a list of parameter names, "
                                                  f"got {value!r}")
            for name in value:
                if name not in names:
                    hint = closest(name, names)
                    raise theorem.error("claim.step", f"step {number}: {key}: {name!r} is not a parameter; allowed: "
                                                      f"{', '.join(names)}" + (f" (did you mean {hint!r}?)" if hint else ""))
        both = set(table.get("moved", ())) & set(table.get("zero_gradient", ()))
        if both:
            raise theorem.error("claim.step", f"step {number}: {sorted(both)[0]!r} is listed both as moved and "
                                              "as having a zero gradient")
    validate_init(theorem, specs)


KIND = ClaimKind(
    name="trace",
    description="what moves at each step of gradient descent, and whether the invariants hold",
    run=run,
    options={"step": "one table per step: moved, zero_gradient, equal_moves, invariants",
             "initial_invariants": "hold or fail: the symmetry invariants at t = 0"},
    training=frozenset({"init", "seed"}),
    validate_options=validate,
)
