"""Golden files for ``prove``, ``analyze`` and ``trace``: text and JSON, byte for byte.

These pin what the commands print (and their exit codes) so that a change of
the engine, the decider or the printers cannot change a documented output by
accident. Regenerate on purpose only:
SYMCHECK_REGENERATE_GOLDEN=1 python -m pytest tests/test_cli_golden.py, then
review the diff of tests/golden/cli/."""

from pathlib import Path

import pytest

from symcheck.cli import main

GOLDEN = Path(__file__).parent / "golden" / "cli"
PROOFS = Path(__file__).parent.parent / "proofs"

CASES = {
    "prove_2-2-1_sigmoid_bce": ["prove", "--widths", "2,2,1", "--activation", "sigmoid", "--loss", "bce"],
    "prove_3-4-4-2_tanh_mse": ["prove", "--widths", "3,4,4,2"],
    "prove_2-3-1_relu_ce_adam": ["prove", "--widths", "2,3,2", "--activation", "relu", "--loss", "ce",
                                 "--optimizer", "adam"],
    "prove_2-2-1_random_refuted": ["prove", "--widths", "2,2,1", "--init", "random"],
    "prove_2-2-1_W0_brandom": ["prove", "--widths", "2,2,1", "--init", "W=0,b=random"],
    "prove_3-2-1_momentum_f": ["prove", "--widths", "3,2,1", "--activation", "f", "--optimizer", "momentum"],
    "prove_2-1-1_width_one": ["prove", "--widths", "2,1,1"],
    "prove_2-1-1_width_one_adam": ["prove", "--widths", "2,1,1", "--optimizer", "adam"],
    "prove_3-4_no_hidden": ["prove", "--widths", "3,4", "--activation", "identity", "--loss", "ce"],
    "prove_general": ["prove", "--general"],
    "analyze_2-3-1_W0_brandom": ["analyze", "--widths", "2,3,1", "--init", "W=0,b=random"],
    "analyze_2-3-1_relu_zero": ["analyze", "--widths", "2,3,1", "--activation", "relu", "--init", "W=0,b=0"],
    "analyze_3-4-4-1_sigmoid_adam": ["analyze", "--widths", "3,4,4,1", "--activation", "sigmoid",
                                     "--init", "W=0.5,b=0", "--optimizer", "adam"],
    "analyze_3-4_identity_ce": ["analyze", "--widths", "3,4", "--activation", "identity", "--loss", "ce",
                                "--init", "zeros"],
    "analyze_magic_square_quotient": ["analyze", "--widths", "2,3,3,1", "--init",
                                      str(PROOFS / "points" / "magic-square-2-3-3-1.json"),
                                      "--optimizer", "adam", "--quotient"],
    "analyze_identity_middle": ["analyze", "--widths", "2,3,3,1", "--init",
                                str(PROOFS / "points" / "identity-middle-2-3-3-1.json")],
    "trace_2-2-1_sigmoid_bce": ["trace", "--widths", "2,2,1", "--activation", "sigmoid", "--loss", "bce",
                                "--init", "W=0,b=0", "--steps", "3"],
    "trace_2-3-1_relu_constant": ["trace", "--widths", "2,3,1", "--activation", "relu", "--init", "W=1/2,b=0",
                                  "--steps", "2"],
}
FORMATS = {"txt": [], "json": ["--format", "json"]}


def _argv(name: str, fmt: str) -> list[str]:
    return CASES[name] + FORMATS[fmt]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_golden(name, fmt, capsys, request):
    code = main(_argv(name, fmt))
    out = capsys.readouterr().out
    # the absolute path of a point file depends on the checkout; the golden file says <proofs>
    produced = f"exit {code}\n" + out.replace(str(PROOFS), "<proofs>")
    path = GOLDEN / f"{name}.{fmt}"
    if request.config.regenerate_golden:
        path.write_text(produced, encoding="utf-8")
        pytest.skip(f"regenerated {path}")
    assert path.exists(), f"{path} missing: regenerate with SYMCHECK_REGENERATE_GOLDEN=1"
    assert produced == path.read_text(encoding="utf-8"), f"{path.name} changed; if intended, regenerate and review"
