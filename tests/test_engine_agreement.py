"""The one induction engine gives, on a grid of networks, activations, losses, inits and
optimizers, the verdicts, per-invariant statuses, identity counts and counterexamples that
the two former routes gave (plain SGD's own path and the optimizer engine; they agreed on
every case of the grid before the first was deleted). ``golden/engine/grid.json`` was
recorded by running the former routes, not typed by hand."""

import json
from pathlib import Path

import pytest

from symcheck.induction.symmetry import prove_symmetry
from symcheck.model.spec import MLP

RECORDED = json.loads((Path(__file__).parent / "golden" / "engine" / "grid.json").read_text())


def _summary(proof):
    return {"verdict": str(proof.verdict),
            "invariants": [[base.describe(), str(base.status), base.identities, str(step.status),
                            step.identities] for base, step in proof.invariants],
            "counterexample": None if proof.counterexample is None else
            [proof.counterexample.stage, proof.counterexample.invariant.describe(),
             list(proof.counterexample.position), list(proof.counterexample.reference)]}


def _name(case):
    return "-".join([".".join(map(str, case["widths"])), case["activation"], case["loss"], case["init"],
                     case["optimizer"]])


def test_the_grid_covers_every_route_and_verdict():
    assert len(RECORDED) == 143
    assert {c["optimizer"] for c in RECORDED} >= {"sgd", "adam", "dropout", "gauss_seidel", "momentum"}
    assert {c["released"] for c in RECORDED} == {"proved", "refuted"}
    assert any(c["route"]["counterexample"] and c["route"]["counterexample"][0] == "step" for c in RECORDED)
    assert any(c["route"]["counterexample"] and c["route"]["counterexample"][0] == "base" for c in RECORDED)


@pytest.mark.parametrize("case", RECORDED, ids=_name)
def test_engine_gives_the_former_routes_results(case):
    spec = MLP(tuple(case["widths"]), case["activation"], case["loss"])
    proof = prove_symmetry(spec, case["init"], 0, optimizer=case["optimizer"])
    found = _summary(proof)
    assert found["verdict"] == case["released"]
    assert found["invariants"] == case["route"]["invariants"]
    assert found["counterexample"] == case["route"]["counterexample"]
