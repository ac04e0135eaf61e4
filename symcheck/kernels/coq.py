"""Exporting the inductive step of a concrete proof to Coq, and running ``coqc``.

The exported ``.v`` file is printed from the very SymPy objects symcheck
decided (``identities.Decided`` in the step checks), by ``CoqPrinter``:

- every symbol of the generic point, the data and the hyperparameters is a
  section ``Variable`` of type ``R``; every applied function (the activation
  ``f`` and its derivative ``f'``, tanh, sigmoid, exp, ...) is a ``Variable``
  of type ``R -> R``, so the theorem holds for *every* function in its place;
- subexpressions shared by several entries become ``Definition``s (the
  expressions are DAGs), then one ``Definition`` per entry after the update;
- one lemma per identity, proved as symcheck proved it: ``reflexivity`` for a
  syntactic identity (the two sides are the same term), ``ring`` after
  unfolding for one decided by ``expand``; an identity decided any other way
  (``cancel``, ``simplify``) is not exported;
- the theorem ``step_keeps_S`` is the conjunction; after ``End`` it is
  quantified over every variable and function, and ``Print Assumptions`` must
  list only the axioms of Coq's real-number library (``ALLOWED_AXIOMS``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sympy as sp

from ..errors import MissingDependency, SymcheckError
from ..identities import EXPAND, PROVED, SYNTACTIC

#: The axioms of Coq's standard library of real numbers (``Reals``, Coq 8.16) that the exported
#: proofs are seen to use -- the classical Dedekind construction's and functional extensionality --
#: and nothing else: any other axiom in ``Print Assumptions`` rejects the file.
ALLOWED_AXIOMS = frozenset({
    "ClassicalDedekindReals.sig_forall_dec",
    "ClassicalDedekindReals.sig_not_dec",  # through the definition of PI (gelu's derivative)
    "FunctionalExtensionality.functional_extensionality_dep",
})
COQC_TIMEOUT = 600.0
THEOREM = "step_keeps_S"
INSTALL_HINT = "install Coq (Debian/Ubuntu: apt-get install coq)"
#: Coq keywords and the library names the printed terms use: never a variable's name
RESERVED = {"fun", "forall", "exists", "let", "in", "if", "then", "else", "match", "end", "with", "as",
            "return", "fix", "cofix", "for", "at", "mod", "struct", "Type", "Prop", "Set", "SProp", "IF",
            "R", "pow", "IZR", "INR", "Rmax", "Rmin", "Rabs", "PI", "Rle", "Rlt", "Rlt_dec", "Rle_dec",
            "Req_EM_T", "conj", THEOREM}


class NotExportable(SymcheckError):
    """A result whose step cannot be written as a Coq proof (with the reason)."""


class CoqPrinter:
    """SymPy expressions -> Coq terms over ``R``, naming shared subexpressions."""

    def __init__(self):
        self.names: dict[str, str] = {}  # SymPy symbol / function name -> Coq identifier
        self.used: set[str] = set()
        self.variables: list[str] = []
        self.functions: dict[str, int] = {}  # Coq name -> arity
        self.shared: dict = {}  # SymPy node -> Coq name of its Definition
        self.definitions: list[tuple[str, str, tuple[str, ...]]] = []  # (name, body, names it uses)

    def ident(self, name: str, kind: str = "symbol") -> str:
        """A Coq identifier for ``name``, unique per (kind, name): a symbol, a function or a
        library function such as sqrt never share one, and none is a keyword or a lemma's name."""
        key = (kind, name)
        if key not in self.names:
            text = re.sub(r"[^A-Za-z0-9_']", "_", name.replace("^", "_e"))
            text = text if re.match(r"[A-Za-z]", text) else "v" + text
            if text in RESERVED or re.fullmatch(r"step_\d+", text):
                text += "_"
            while text in self.used:
                text += "'"
            self.names[key] = text
            self.used.add(text)
        return self.names[key]

    def fresh(self, stem: str) -> str:
        number = len(self.definitions)
        while f"{stem}{number}" in self.used:
            number += 1
        self.used.add(f"{stem}{number}")
        return f"{stem}{number}"

    def share(self, roots) -> None:
        """Name every compound node that more than one parent (or root) uses, children first."""
        counts: dict = {}
        order: list = []
        stack = [(root, False) for root in reversed(list(roots))]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
                continue
            counts[node] = counts.get(node, 0) + 1
            if counts[node] > 1 or not node.args or node.is_Atom:
                continue
            stack.append((node, True))
            stack.extend((arg, False) for arg in reversed(node.args))
        for node in order:
            if counts[node] > 1 and not node.is_Atom and not _is_literal(node):
                deps: set[str] = set()
                body = self.term(node, deps)
                name = self.fresh("s")
                self.definitions.append((name, body, tuple(sorted(deps))))
                self.shared[node] = name

    def term(self, e, deps: set | None = None) -> str:
        """``e`` as a Coq term; the names of shared Definitions it mentions are added to ``deps``."""
        deps = set() if deps is None else deps
        if e in self.shared:
            deps.add(self.shared[e])
            return self.shared[e]
        if e.is_Symbol:
            name = self.ident(e.name)
            if name not in self.variables:
                self.variables.append(name)
            return name
        if e.is_Integer:
            return str(e) if e >= 0 else f"({e})"
        if e.is_Rational:
            return f"({e.p} / {e.q})"
        if e is sp.pi:
            return "PI"
        if e.is_Add:
            return "(" + " + ".join(self.term(a, deps) for a in e.args) + ")"
        if e.is_Mul:
            coefficient, rest = e.as_coeff_Mul()
            if coefficient == -1:
                return f"(- {self.term(rest, deps)})"
            return "(" + " * ".join(self.term(a, deps) for a in e.args) + ")"
        if e.is_Pow:
            base, exponent = e.args
            if exponent.is_Integer and exponent > 0:
                return f"({self.term(base, deps)} ^ {int(exponent)})"
            if exponent.is_Integer and exponent < 0:
                return f"(/ ({self.term(base, deps)} ^ {-int(exponent)}))"
            if exponent == sp.S.Half:
                return self._apply("sqrt", (base,), deps, "power")
            return self._apply("rpow", (base, exponent), deps, "power")  # b^e, e symbolic: any function
        if isinstance(e, sp.Piecewise):
            return self._piecewise(e.args, deps)
        if isinstance(e, sp.Heaviside):
            z = self.term(e.args[0], deps)
            at_zero = self.term(e.args[1], deps) if len(e.args) > 1 else "(1 / 2)"
            return f"(if Rlt_dec 0 {z} then 1 else if Req_EM_T {z} 0 then {at_zero} else 0)"
        if isinstance(e, (sp.Max, sp.Min)):
            out = self.term(e.args[0], deps)
            for arg in e.args[1:]:
                out = f"({'Rmax' if isinstance(e, sp.Max) else 'Rmin'} {out} {self.term(arg, deps)})"
            return out
        if isinstance(e, sp.Function):
            return self._apply(type(e).__name__, e.args, deps)
        raise NotExportable(f"{type(e).__name__} terms have no Coq form here ({str(e)[:60]})")

    def _piecewise(self, pieces, deps) -> str:
        (value, condition), rest = pieces[0], pieces[1:]
        if condition is sp.S.true or not rest:
            return self.term(value, deps)
        test, then, otherwise = self._decision(condition, deps), self.term(value, deps), self._piecewise(rest, deps)
        return f"(if {test} then {then} else {otherwise})"

    def _decision(self, condition, deps) -> str:
        """A decidable test of a comparison, as Coq's Reals library provides them."""
        if not isinstance(condition, sp.core.relational.Relational):
            raise NotExportable(f"the condition {condition} has no Coq form here")
        a, b = self.term(condition.lhs, deps), self.term(condition.rhs, deps)
        tests = {">": f"Rlt_dec {b} {a}", "<": f"Rlt_dec {a} {b}", ">=": f"Rle_dec {b} {a}",
                 "<=": f"Rle_dec {a} {b}", "==": f"Req_EM_T {a} {b}"}
        if condition.rel_op not in tests:
            raise NotExportable(f"the condition {condition} has no Coq form here")
        return tests[condition.rel_op]

    def _apply(self, name: str, args, deps, kind: str = "function") -> str:
        coq = self.ident("f'" if name == "f_prime" else name, kind)
        if coq not in self.functions:
            self.functions[coq] = len(args)
        elif self.functions[coq] != len(args):
            raise NotExportable(f"the function {name} is applied to different numbers of arguments")
        return f"({coq} {' '.join(self.term(a, deps) for a in args)})"

    def closure(self, names) -> list[str]:
        """The shared Definitions ``names`` mention, transitively (for unfolding before ``ring``)."""
        by_name = {name: deps for name, _, deps in self.definitions}
        seen, stack = set(), list(names)
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            stack.extend(by_name.get(name, ()))
        return sorted(seen, key=lambda n: int(n[1:]) if n[1:].isdigit() else 0)


def _is_literal(node) -> bool:
    return node.is_Number or (node.is_Mul and len(node.args) == 2 and node.args[0] == -1 and node.args[1].is_Atom)


@dataclass(frozen=True)
class Obligation:
    """One identity of the step: the new value at ``entry`` equals the one at ``reference``."""

    group: str
    position: tuple
    reference: tuple | None
    lhs: object
    rhs: object
    method: str


def obligations(checks) -> list[Obligation]:
    """The step identities of ``checks`` (``InvariantCheck`` or ``GroupCheck``); all must be proved."""
    found, seen = [], set()
    for group, check in checks:
        if check.status != PROVED or not check.decided:
            raise NotExportable(f"{group}: the step is {check.status}, not proved; only proofs are exported")
        for d in check.decided:
            if d.method not in (SYNTACTIC, EXPAND):
                raise NotExportable(f"{group}{list(d.position)} was decided by {d.method!r}; the Coq export "
                                    "writes syntactic identities (reflexivity) and expand (ring) only")
            key = (group, d.position, d.reference)
            if key not in seen:
                seen.add(key)
                found.append(Obligation(group, d.position, d.reference, d.lhs, d.rhs, d.method))
    if not found:
        raise NotExportable("the step has no identities to export")
    return found


def entry_name(printer: CoqPrinter, group: str, position) -> str:
    return printer.ident(group.replace(":", "_") + "n_" + "_".join(map(str, position)), "entry")


def render(title: str, context: tuple[str, ...], items: list[Obligation]) -> str:
    """The text of a self-contained ``.v`` file proving every obligation."""
    printer = CoqPrinter()
    printer.share([o.lhs for o in items] + [o.rhs for o in items if o.reference is not None])
    entries: dict[tuple, tuple[str, str, set]] = {}
    for o in items:
        for position, value in ((o.position, o.lhs), (o.reference, o.rhs)):
            if position is not None and (o.group, position) not in entries:
                deps: set[str] = set()
                body = printer.term(sp.sympify(value), deps)
                entries[(o.group, position)] = (entry_name(printer, o.group, position), body, deps)
    lemmas, statements = [], []
    for number, o in enumerate(items):
        left_name, _, left_deps = entries[(o.group, o.position)]
        if o.reference is None:
            right_name, right_deps = "0", set()
        else:
            right_name, _, right_deps = entries[(o.group, o.reference)]
        statement = f"{left_name} = {right_name}"
        where = f"{o.group}'[{', '.join(map(str, o.position))}]"
        if o.method == SYNTACTIC:
            tactic = "reflexivity"  # the two sides are the same term: Coq's conversion sees it
        else:
            unfold = [n for n in (left_name, right_name) if n != "0"] + printer.closure(left_deps | right_deps)
            tactic = f"cbv delta [{' '.join(unfold)}]; ring"
        lemmas.append(f"(* {where}, decided by SymPy: {o.method} *)\n"
                      f"Lemma step_{number} : {statement}.\nProof. {tactic}. Qed.\n")
        statements.append(statement)
    conj = " /\\\n  ".join(statements)
    proof = _conj_proof(len(items))
    lines = [f"(* {_comment(line)} *)" for line in (title, *context)]
    lines += ["(* Generated by symcheck from the SymPy expressions it decided; check with coqc.",
              "   A function applied to a number was evaluated by SymPy (relu(0) = 0, sigmoid(0) = 1/2)",
              "   before printing; every other application is of an arbitrary function. *)",
              "Require Import Reals.", "Open Scope R_scope.", "", "Section Step.", ""]
    if printer.functions:
        lines.append("(* every function applied in the update: the theorem holds for every choice *)")
        for arity in sorted(set(printer.functions.values())):
            names = " ".join(n for n, a in printer.functions.items() if a == arity)
            lines.append(f"Variables {names} : {' -> '.join(['R'] * (arity + 1))}.")
    if printer.variables:
        lines.append("(* the generic point of the subspace, the data and the hyperparameters *)")
        lines.append(f"Variables {' '.join(printer.variables)} : R.")
    lines += ["", "(* subexpressions shared by several entries of the update *)"]
    lines += [f"Definition {name} := {body}." for name, body, _ in printer.definitions]
    lines += ["", "(* the entries after one update *)"]
    lines += [f"Definition {name} := {body}." for name, body, _ in entries.values()]
    lines += ["", *lemmas, "(* one update maps the subspace into itself *)",
              f"Theorem {THEOREM} :\n  {conj}.", f"Proof. {proof}. Qed.", "", "End Step.", "",
              f"Print Assumptions {THEOREM}.", ""]
    return "\n".join(lines)


def _comment(text: str) -> str:
    """``text`` safe inside a Coq comment (an init's file name must not close it)."""
    return text.replace("(*", "( *").replace("*)", "* )")


def _conj_proof(count: int) -> str:
    """``exact (conj step_0 (conj step_1 ... step_n))``: the conjunction nests to the right, like ``/\\``."""
    term = f"step_{count - 1}"
    for number in range(count - 2, -1, -1):
        term = f"(conj step_{number} {term})"
    return f"exact {term}"


def proof_obligations(proof):
    if proof.verdict != PROVED or proof.vacuous:
        raise NotExportable(f"the verdict is {proof.verdict}{' (vacuous)' if proof.vacuous else ''}; "
                            "only a proved inductive step is exported")
    # optimizer state (momentum, moments) is part of the invariant set: its identities are exported too
    return obligations([(r.invariant.parameter, r.step) for r in proof.results]
                       + [(c.group, c) for c in proof.state_checks])


def analysis_obligations(analysis):
    """The twins claim's step (the dead-network claim starts from a special point and is not exported)."""
    claim = analysis.twins
    if analysis.verdict != PROVED or claim is None or claim.step is None:
        raise NotExportable(f"the verdict is {analysis.verdict}"
                            + ("" if claim is not None and claim.step is not None else " with no twins to keep tied")
                            + "; only a proved inductive step is exported")
    return obligations([(c.group, c) for c in claim.step.checks])


def file_stem(*parts) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", "_".join(str(p) for p in parts if p))


def export_proof(proof, directory) -> Path:
    spec = proof.spec
    title = (f"symcheck prove: {spec.describe()}, init {proof.init.name}, optimizer {proof.optimizer}: "
             "one update from the generic point of the invariant set S lands in S")
    return _write(directory, file_stem("symmetry", *spec.widths, spec.activation, spec.loss, proof.optimizer),
                  render(title, proof.tied.description, proof_obligations(proof)))


def export_analysis(analysis) -> str:
    spec = analysis.spec
    title = (f"symcheck analyze: {spec.describe()}, optimizer {analysis.optimizer.name}: "
             "one update from the generic point of the tied subspace lands in it")
    return render(title, (), analysis_obligations(analysis))


def export_analysis_file(analysis, directory) -> Path:
    spec = analysis.spec
    return _write(directory, file_stem("analysis", *spec.widths, spec.activation, spec.loss, analysis.optimizer.name),
                  export_analysis(analysis))


def _write(directory, stem: str, text: str) -> Path:
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{stem}.v"
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise SymcheckError(f"--export coq {directory}: cannot write ({error.strerror})") from None
    return path


# ------------------------------------------------------------------ coqc

def require_coqc() -> str:
    path = shutil.which("coqc")
    if path is None:
        raise MissingDependency(f"the Coq kernel needs coqc, which is not on PATH; {INSTALL_HINT}")
    return path


@dataclass(frozen=True)
class Compiled:
    accepted: bool  # coqc compiled it and Print Assumptions shows only allowed axioms
    axioms: tuple[str, ...]
    detail: str


def compile_file(path, timeout: float = COQC_TIMEOUT) -> Compiled:
    """Run ``coqc`` on a copy of ``path`` in a temporary directory; check ``Print Assumptions``."""
    coqc = require_coqc()
    source = Path(path)
    with tempfile.TemporaryDirectory(prefix="symcheck-coq-") as work:
        target = Path(work) / source.name
        shutil.copyfile(source, target)
        try:
            run = subprocess.run([coqc, "-q", target.name], cwd=work, capture_output=True, text=True,
                                 timeout=timeout, env={**os.environ, "COQ_COLOR": "no"})
        except subprocess.TimeoutExpired:
            return Compiled(False, (), f"coqc ran past {timeout:g} s: undecided by Coq")
    output = run.stdout + run.stderr
    if run.returncode != 0:
        return Compiled(False, (), "coqc rejected it: " + " ".join(output.split())[:400])
    axioms = _axioms(run.stdout)
    extra = sorted(set(axioms) - ALLOWED_AXIOMS)
    if axioms is None:
        return Compiled(False, (), "coqc printed no Print Assumptions report")
    if extra:
        return Compiled(False, tuple(axioms), f"unexpected axioms: {', '.join(extra)}")
    shown = ", ".join(axioms) if axioms else "none"
    return Compiled(True, tuple(axioms), f"coqc accepted it; axioms: {shown}")


def _axioms(stdout: str):
    if "Closed under the global context" in stdout:
        return []
    if "Axioms:" not in stdout:
        return None
    found = []
    # one axiom per unindented line ("name" or "name : type"); its type continues indented
    for line in stdout.split("Axioms:", 1)[1].splitlines():
        match = re.match(r"^([A-Za-z_][\w.']*)", line)
        if match:
            found.append(match.group(1))
    return found
