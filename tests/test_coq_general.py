"""The general symmetry theorem in Coq (proofs/coq/): it compiles with coqc, the
compiled modules pass coqchk, the main theorems rest only on the real-number
library's axioms, nothing is admitted, and planted faults make coqc reject it.

Every test works on a copy in a temporary directory, so the repository never
holds build products from the tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

COQ_DIR = Path(__file__).resolve().parent.parent / "proofs" / "coq"
INSTALL = "apt-get install coq"
# Generous bounds: the whole development compiles in a few seconds alone.
TIMEOUT = 300

# The axioms of Coq's real numbers (Coq.Reals): R is built from Dedekind cuts
# with these classical axioms. Anything else in Print Assumptions is a failure.
REAL_LIBRARY_AXIOMS = {
    "ClassicalDedekindReals.sig_forall_dec",
    "ClassicalDedekindReals.sig_not_dec",
    "FunctionalExtensionality.functional_extensionality_dep",
}
# What Print Assumptions shows today for each main theorem (Coq 8.16): exactly
# this. Equitable.v divides by class sizes (field, lra), whose real-number
# lemmas use functional extensionality; Derivative.v uses it too (theta + 0 D
# is theta).
CUTS = {"ClassicalDedekindReals.sig_forall_dec"}
FIELD = CUTS | {"FunctionalExtensionality.functional_extensionality_dep"}
MAIN_THEOREMS = {
    "step_preserves_S": CUTS,
    "train_preserves_S": CUTS,
    "constant_init_symmetry": CUTS,
    "step_preserves_equitable": FIELD,
    "train_preserves_equitable": FIELD,
    "tied_units_agree": FIELD,
    "identity_middle_equitable": FIELD,
    "backprop_is_the_derivative": FIELD,
    "mse_backprop_is_the_derivative": FIELD,
}


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"needs {tool} ({INSTALL})")
    return path


def modules() -> list[str]:
    """The .v files of the development, in build order, as _CoqProject lists them."""
    lines = (COQ_DIR / "_CoqProject").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip().endswith(".v")]


def copy_development(tmp_path: Path) -> Path:
    work = tmp_path / "coq"
    shutil.copytree(COQ_DIR, work, ignore=shutil.ignore_patterns("*.vo", "*.vok", "*.vos", "*.glob", ".*"))
    return work


def coqc(work: Path, source: str) -> subprocess.CompletedProcess:
    return subprocess.run([require("coqc"), "-Q", ".", "Symcheck", source], cwd=work,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=TIMEOUT)


def compile_all(work: Path, last: str | None = None) -> subprocess.CompletedProcess:
    """coqc on ``last`` and the modules it imports (default: every module), in
    build order; the first failure, or the last success."""
    needed = imports(work, last) if last else modules()
    for source in modules():
        if source in needed:
            done = coqc(work, source)
            if done.returncode != 0:
                return done
    return done


def imports(work: Path, source: str) -> set[str]:
    """``source`` and the development's modules it requires, transitively."""
    text = strip_comments((work / source).read_text(encoding="utf-8"))
    found = {source}
    for line in re.findall(r"From Symcheck Require Import ([^.]*)\.", text):
        for name in line.split():
            found |= imports(work, f"{name}.v")
    return found


def strip_comments(text: str) -> str:
    """Coq source without its (possibly nested) (* comments *)."""
    out, depth, i = [], 0, 0
    while i < len(text):
        if text.startswith("(*", i):
            depth, i = depth + 1, i + 2
        elif depth and text.startswith("*)", i):
            depth, i = depth - 1, i + 2
        else:
            if not depth:
                out.append(text[i])
            i += 1
    return "".join(out)


# --- sources: no admitted proofs, no axioms of our own -------------------------------

FORBIDDEN = re.compile(r"\b(Admitted|admit|Axiom|Axioms|Parameter|Parameters|Conjecture|Abort)\b")
SECTION_LOCAL = re.compile(r"\b(Variable|Variables|Hypothesis|Hypotheses|Context)\b")


def violations(source: str) -> list[str]:
    """Admitted proofs and assumptions that would outlive their section."""
    found, depth = [], 0
    for number, line in enumerate(strip_comments(source).splitlines(), 1):
        if re.match(r"\s*Section\b", line):
            depth += 1
        elif re.match(r"\s*End\b", line) and depth:
            depth -= 1
        if FORBIDDEN.search(line):
            found.append(f"{number}: {line.strip()}")
        elif SECTION_LOCAL.search(line) and depth == 0:
            found.append(f"{number}: {line.strip()} (outside a section: a global axiom)")
    return found


def test_the_source_scan_can_fail():
    planted = "Section A.\nVariable x : nat.\nEnd A.\nVariable y : nat.\nLemma l : True.\nAdmitted.\n"
    assert violations(planted) == ["4: Variable y : nat. (outside a section: a global axiom)",
                                   "6: Admitted."]
    assert violations("(* Admitted (* nested Axiom *) *)\nLemma l : True. Proof. exact I. Qed.") == []


@pytest.mark.parametrize("source", sorted(p.name for p in COQ_DIR.glob("*.v")))
def test_sources_admit_nothing(source):
    assert violations((COQ_DIR / source).read_text(encoding="utf-8")) == []


def test_every_source_is_built():
    assert sorted(modules()) == sorted(p.name for p in COQ_DIR.glob("*.v") if p.name != "Assumptions.v")


# --- the kernel accepts it --------------------------------------------------------

@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    require("coqc")
    work = copy_development(tmp_path_factory.mktemp("coq"))
    done = compile_all(work)
    assert done.returncode == 0, done.stdout + done.stderr
    return work


def coqchk(work: Path, sources: list[str] | None = None) -> str:
    """coqchk -o on our modules; its output (the context summary lists the axioms)."""
    # -norec: check our modules' terms with coqchk's own kernel; the standard
    # library they load is Debian's compiled stdlib (`make -C proofs/coq check`
    # re-checks it too, which takes about a minute).
    # -norec applies to the one module after it
    names = [arg for m in sources or modules() for arg in ("-norec", f"Symcheck.{Path(m).stem}")]
    done = subprocess.run([require("coqchk"), "-o", "-Q", ".", "Symcheck", *names],
                          cwd=work, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=TIMEOUT)
    output = done.stdout + done.stderr  # coqchk splits its report over both
    assert done.returncode == 0, output[-2000:]
    assert "Modules were successfully checked" in output
    for name in names[1::2]:
        assert f"Checking library: {name}" in output, name
    return output


def own_axioms(summary: str) -> list[str]:
    """Axioms coqchk lists that belong to the development, not to Coq's library."""
    block = summary.split("* Axioms:", 1)[1].split("\n*", 1)[0]
    return [name for name in block.split() if not name.startswith("Coq.")]


def test_coqchk_accepts_the_compiled_modules(compiled):
    summary = coqchk(compiled)
    assert own_axioms(summary) == []
    for unsafe in ("type-in-type", "unsafe (co)fixpoints", "positivity is assumed"):
        assert re.search(rf"{re.escape(unsafe)}: <none>", summary), unsafe


def test_coqchk_reports_an_admitted_proof(tmp_path):
    # The check above can fail: admit the proofs and coqchk lists them as axioms.
    require("coqchk")
    work = copy_development(tmp_path)
    target = work / "Symmetry.v"
    target.write_text(admit_everything(target.read_text(encoding="utf-8")), encoding="utf-8")
    done = compile_all(work, last="Symmetry.v")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Symcheck.Symmetry.step_preserves_S" in own_axioms(coqchk(work, ["Symmetry.v"]))


def parse_assumptions(output: str) -> list[set[str]]:
    """One set of axiom names per Print Assumptions block, in order."""
    blocks = []
    for block in re.split(r"^(?=Axioms:|Closed under the global context)", output, flags=re.MULTILINE):
        if block.startswith("Closed under the global context"):
            blocks.append(set())
        elif block.startswith("Axioms:"):
            # a name starts a line; its type follows on the same line or indented below
            blocks.append({line.split()[0] for line in block.splitlines()[1:]
                           if line and not line[0].isspace()})
    return blocks


def test_assumption_parser():
    sample = ("Axioms:\nA.x : forall P : nat -> Prop,\n  P 0\nB.y : nat\n"
              "Closed under the global context\nAxioms:\nC.z\n  : Prop\n")
    assert parse_assumptions(sample) == [{"A.x", "B.y"}, set(), {"C.z"}]


def test_main_theorems_rest_only_on_the_real_number_axioms(compiled):
    script = (compiled / "Assumptions.v").read_text(encoding="utf-8")
    assert re.findall(r"Print Assumptions (\w+)\.", script) == list(MAIN_THEOREMS)
    done = coqc(compiled, "Assumptions.v")
    assert done.returncode == 0, done.stdout + done.stderr
    blocks = parse_assumptions(done.stdout)
    assert blocks == list(MAIN_THEOREMS.values()), done.stdout
    assert set().union(*blocks) <= REAL_LIBRARY_AXIOMS


# --- planted faults: coqc must reject a wrong development -------------------------------

# Each fault makes a theorem false (not merely the proof script outdated). A
# fault that changes a definition also changes the lemmas that restate it
# (dh_top_layer, gradient_W_hidden, ...), so the rejection comes from the
# argument itself. name -> (file, [(text, replacement), ...], the file whose
# proofs must reject it (default: the same file)); every occurrence of each
# text is replaced.
FAULTS = {
    # (3) with W_i instead of W_i^T: dL/dh_K = W_{K+1} g mixes the free rows of
    # W_{K+1}, so the hidden units of layer K get different deltas.
    "transposed backprop": ("Symmetry.v", [("W th (S K) r k * g th x y r", "W th (S K) k r * g th x y r")]),
    # (1) with the input x instead of h_{i-1}: a middle layer's gradient
    # delta_i x^T is not constant when the inputs differ.
    "gradient with the wrong activations": ("Symmetry.v", [("h th x (pred i) k", "x k"),
                                                           ("h th x K k", "x k")]),
    # S without b_i = beta_i 1: different biases give different z, deltas, rows.
    "weakened invariant": ("Symmetry.v", [("  (forall i, (1 <= i <= K)%nat ->\n     exists beta : R, "
                                           "forall p, (p < n i)%nat -> b th i p = beta).", "  True.")]),
    # per-unit learning rates (eta scaled by the row index) break equal rows.
    "per-unit learning rate": ("Symmetry.v", [("fun i p k => W th i p k - eta * batch_gW th batch i p k",
                                               "fun i p k => W th i p k - eta * INR p * batch_gW th batch i p k")]),
    # an equitable partition without the backward condition: tied units may
    # feed the next layer with different weights and get different deltas.
    "equitable without the backward condition": ("Equitable.v", [(
        "col_class_sum (W (S i)) (S i) p r0 = col_class_sum (W (S i)) (S i) q r0).", "True).")]),
    # input units grouped into classes: inputs differ, so class sums of W_1 no
    # longer determine z_1.
    "input units grouped": ("Equitable.v", [("if (1 <=? i)%nat && (i <=? K)%nat then part i p else p",
                                             "if (0 <=? i)%nat && (i <=? K)%nat then part i p else p")]),
    # sigma' evaluated at h_i instead of z_i in (3): the units still agree, so
    # Symmetry.v still compiles (the symmetry does not need the true sigma'),
    # but the recursion no longer computes the derivative: Derivative.v fails.
    "sigma' at the activation instead of the pre-activation": (
        "Symmetry.v", [("(dh_top th x y j' p * dsigma (z th x i p))", "(dh_top th x y j' p * dsigma (h th x i p))"),
                       ("W th i p k * (dh th x y i p * dsigma (z th x i p))",
                        "W th i p k * (dh th x y i p * dsigma (h th x i p))")],
        "Derivative.v"),
}


def plant(source: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        assert old in source, f"the fault's anchor is not in the source: {old!r}"
        source = source.replace(old, new)
    return source


def admit_everything(source: str) -> str:
    return re.sub(r"Proof\..*?Qed\.", "Proof. Admitted.", source, flags=re.DOTALL)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_coqc_rejects_a_planted_fault(fault, tmp_path):
    require("coqc")
    name, replacements, *rest = FAULTS[fault]
    rejecter = rest[0] if rest else name
    work = copy_development(tmp_path)
    target = work / name
    target.write_text(plant(target.read_text(encoding="utf-8"), replacements), encoding="utf-8")

    # Control: with the rejecting file's proofs admitted, everything is
    # well-typed (and the files before it prove their theorems), so the
    # rejection below comes from a proof in that file, not from a typo.
    genuine = (work / rejecter).read_text(encoding="utf-8")
    (work / rejecter).write_text(admit_everything(genuine), encoding="utf-8")
    control = compile_all(work, last=rejecter)
    assert control.returncode == 0, control.stdout + control.stderr

    (work / rejecter).write_text(genuine, encoding="utf-8")
    done = compile_all(work, last=rejecter)
    assert done.returncode != 0, f"coqc accepted the development with a planted fault: {fault}"
    assert f'File "./{rejecter}"' in done.stderr and "Error" in done.stderr, done.stderr


@pytest.mark.parametrize("name", ["Symmetry.v", "Equitable.v", "Derivative.v"])
def test_the_admit_control_is_itself_checked(name):
    # The control above proves nothing if admit_everything left the file unchanged.
    source = (COQ_DIR / name).read_text(encoding="utf-8")
    admitted = admit_everything(source)
    assert "Qed." not in admitted
    assert admitted.count("Admitted.") == source.count("Qed.") > 10


# --- the documentation quotes the development as it is ----------------------------

def test_docs_quote_the_sources_verbatim():
    docs = (COQ_DIR.parent.parent / "docs" / "coq.md").read_text(encoding="utf-8")
    quoted = re.findall(r"```coq\n(.*?)```", docs, flags=re.DOTALL)
    sources = "\n".join(p.read_text(encoding="utf-8") for p in COQ_DIR.glob("*.v"))
    assert len(quoted) >= 8
    assert [block for block in quoted if block not in sources] == []


def test_the_theorem_library_ignores_the_coq_directory():
    from symcheck.theorems.theorem import discover

    found = discover([COQ_DIR.parent])
    assert found and all(path.suffix == ".toml" for path in found)
    assert not any(COQ_DIR in path.parents for path in found)
