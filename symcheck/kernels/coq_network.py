"""The Coq text of one training step, generated from the network's structure.

Nothing here reads SymPy's derived entries: the file defines, at the concrete
widths, the generic point of a tied subspace S_P (one real variable per block
of every W_i and per class of every b_i, ``subspace.tie_subspace``), the data,
the forward pass z_i, h_i, the backward recursion (1)-(3) of DESIGN.md, the
gradient it defines, the optimizer's update of the parameters and of its
state, and then states every identity of S_P after the step
(``subspace.tie_identities``). Coq computes the step itself (``cbv`` unfolds the
definitions at the concrete indices) and ``ring`` compares the two entries.

The activation σ, its derivative σ' and the loss gradient ∂ℓ/∂o (a function of
the output vector and the targets) are section variables: after ``End`` the
theorem holds for every choice, the network's own activation and loss
included. Vectors are functions ``nat -> R``; a sum over a layer is the
fixpoint ``sum``, so the file grows with the number of parameters only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..induction.subspace import tie_identities, tie_subspace
from ..induction.twins import Partition

#: (3), dL/dh_{i-1} = W_i^T delta_i, at unit p of layer i-1 (module level so a test can plant a fault)
BACKWARD = "sum {rows} (fun r => W{i} r p * delta{i} x y r)"
SUM = ("Fixpoint sum (n : nat) (f : nat -> R) : R :=\n"
       "  match n with O => 0 | S k => sum k f + f k end.")


@dataclass(frozen=True)
class Rule:
    """An optimizer's update of one entry, as Coq text over the names of that entry's terms:
    ``p`` the parameter, ``g`` its gradient, ``s[name]`` the old state, ``n[name]`` the new state."""

    hyper: tuple[str, ...]
    state: dict  # state name -> (s, n, g, p) -> Coq term of the new state entry
    update: object  # (p, g, n) -> Coq term of the new parameter entry
    coupled_l2: bool = False  # the L2 term joins the gradient before the moments (adam_l2)
    clip: bool = False  # the gradient is scaled by clip / max(clip, |g|), |g| its global norm
    step_count: bool = False  # Adam's t: a nat variable, t + 1 after the step


def _adam_direction(n):
    return f"(({n['m']} / (1 - beta1 ^ (S t))) / (sqrt ({n['v']} / (1 - beta2 ^ (S t))) + eps))"


_ADAM_STATE = {"m": lambda s, n, g, p: f"beta1 * {s['m']} + (1 - beta1) * {g}",
               "v": lambda s, n, g, p: f"beta2 * {s['v']} + (1 - beta2) * {g} ^ 2"}
_ADAM = ("eta", "beta1", "beta2", "eps")

#: the update rules of ``symcheck.model.optimizers`` that keep tied units tied, written again for Coq
RULES = {
    "sgd": Rule(("eta",), {}, lambda p, g, n: f"{p} - eta * {g}"),
    "minibatch": Rule(("eta",), {}, lambda p, g, n: f"{p} - eta * {g}"),
    "momentum": Rule(("eta", "mu"), {"m": lambda s, n, g, p: f"mu * {s['m']} + {g}"},
                     lambda p, g, n: f"{p} - eta * {n['m']}"),
    "nesterov": Rule(("eta", "mu"), {"m": lambda s, n, g, p: f"mu * {s['m']} + {g}"},
                     lambda p, g, n: f"{p} - eta * ({g} + mu * {n['m']})"),
    "rmsprop": Rule(("eta", "rho", "eps"), {"v": lambda s, n, g, p: f"rho * {s['v']} + (1 - rho) * {g} ^ 2"},
                    lambda p, g, n: f"{p} - eta * {g} / (sqrt ({n['v']}) + eps)"),
    "weight_decay": Rule(("eta", "lam"), {}, lambda p, g, n: f"{p} - eta * ({g} + lam * {p})"),
    "adam": Rule(_ADAM, _ADAM_STATE, lambda p, g, n: f"{p} - eta * {_adam_direction(n)}", step_count=True),
    "adamw": Rule(_ADAM + ("lam",), _ADAM_STATE,
                  lambda p, g, n: f"{p} - eta * ({_adam_direction(n)} + lam * {p})", step_count=True),
    "adam_l2": Rule(_ADAM + ("lam",), _ADAM_STATE, lambda p, g, n: f"{p} - eta * {_adam_direction(n)}",
                    coupled_l2=True, step_count=True),
    "clip": Rule(("eta", "clip"), {}, lambda p, g, n: f"{p} - eta * scale * {g}", clip=True),
}


def rule_for(name: str) -> Rule | None:
    return RULES.get(name)


def _names(partition: Partition) -> dict[str, str]:
    """Variable names of the generic point; with one class per hidden layer (the set S of the
    constant-init theorem) they are DESIGN.md's u, c_i, v, beta_i."""
    spec = partition.spec
    K = spec.depth
    if any(len(classes) != 1 for classes in partition.layers):
        return {}
    names = {f"W1_0_{k}": f"u_{k}" for k in range(spec.widths[0])}
    names.update({f"W{i}_0_0": f"c_{i}" for i in range(2, K + 1)})
    names.update({f"W{K + 1}_{r}_0": f"v_{r}" for r in range(spec.widths[-1])})
    names.update({f"b{i}_0": f"beta_{i}" for i in range(1, K + 1)})
    return names


def _table(values, rename) -> str:
    """A vector or matrix of symbols as a Coq function of its indices."""
    if isinstance(values[0], tuple):
        rows = "; ".join("[" + "; ".join(rename(v.name) for v in row) + "]" for row in values)
        return f"fun p k => nth k (nth p [{rows}] nil) 0"
    return "fun p => nth p [" + "; ".join(rename(v.name) for v in values) + "] 0"


def _indices(name: str) -> str:
    return "p k" if name[0] == "W" else "p"


def network_text(partition: Partition, optimizer, header: list[str]) -> str | None:
    """The ``.v`` file proving that one update maps S_P (and the tied state) into itself;
    None when ``optimizer`` has no rule here."""
    rule = rule_for(optimizer.name)
    if rule is None:
        return None
    spec = partition.spec
    K, widths = spec.depth, spec.widths
    rename_map = _names(partition)

    def rename(name):
        return rename_map.get(name, name)

    tied = tie_subspace(partition)
    params, symbols = tied.parameters, tied.symbols
    states = {name: tied.renamed(f"{name}_") for name in rule.state}
    variables = [rename(s.name) for s in symbols]
    for name in rule.state:
        variables += [f"{name}_{s.name}" for s in symbols]
    examples = range(1, optimizer.examples + 1)
    data = [f"x{e}_{k}" for e in examples for k in range(widths[0])]
    data += [f"y{e}_{r}" for e in examples for r in range(widths[-1])]
    defs: list[str] = []  # every Definition's name, for cbv
    lines = [*header, "Require Import Reals List.", "Import ListNotations.", "Open Scope R_scope.", "",
             "Section Step.", "",
             "(* the activation, its derivative and the loss gradient d loss / d o (a function of the",
             "   output vector and the targets): the theorem holds for every choice *)",
             "Variables sigma sigma' : R -> R.",
             "Variable dloss : (nat -> R) -> (nat -> R) -> nat -> R.",
             "(* the generic point of the tied subspace, the optimizer's state, the data and the hyperparameters *)",
             f"Variables {' '.join(variables + data)} : R.",
             f"Variables {' '.join(rule.hyper)} : R."]
    if rule.step_count:
        lines.append("Variable t : nat.  (* steps taken so far; this one is step t + 1 *)")
    lines += ["", SUM, "", "(* the parameters at the generic point *)"]

    def define(name, args, body):
        defs.append(name)
        lines.append(f"Definition {name} {args}:= {body}.".replace("  ", " "))

    for name in spec.parameter_names:
        define(name, "", _table(params[name], rename))
    for state, values in states.items():
        for name in spec.parameter_names:
            define(f"{state}{name}", "", _table(values[name], str))
    for e in examples:
        define(f"x{e}", "", "fun k => nth k [" + "; ".join(f"x{e}_{k}" for k in range(widths[0])) + "] 0")
        define(f"y{e}", "", "fun r => nth r [" + "; ".join(f"y{e}_{r}" for r in range(widths[-1])) + "] 0")

    lines += ["", "(* forward pass: h_0 = x, z_i = W_i h_{i-1} + b_i, h_i = sigma(z_i), o = W_{K+1} h_K + b_{K+1} *)"]
    define("h0", "(x : nat -> R) ", "x")
    for i in range(1, K + 2):
        z = "o" if i == K + 1 else f"z{i}"
        define(z, "(x : nat -> R) (p : nat) ", f"sum {widths[i - 1]} (fun k => W{i} p k * h{i - 1} x k) + b{i} p")
        if i <= K:
            define(f"h{i}", "(x : nat -> R) (p : nat) ", f"sigma (z{i} x p)")
    lines += ["", "(* backward recursion (1)-(3): delta_i = dL/dh_i (.) sigma'(z_i), dL/dh_{i-1} = W_i^T delta_i *)"]
    define(f"delta{K + 1}", "(x y : nat -> R) (r : nat) ", "dloss (o x) y r")
    for i in range(K, 0, -1):
        define(f"dh{i}", "(x y : nat -> R) (p : nat) ",
               BACKWARD.format(rows=widths[i + 1], i=i + 1))
        define(f"delta{i}", "(x y : nat -> R) (p : nat) ", f"dh{i} x y p * sigma' (z{i} x p)")
    for i in range(1, K + 2):
        define(f"gW{i}", "(x y : nat -> R) (p k : nat) ", f"delta{i} x y p * h{i - 1} x k")  # (1)
        define(f"gb{i}", "(x y : nat -> R) (p : nat) ", f"delta{i} x y p")  # (2)

    lines += ["", "(* the gradient of the step" + (", summed over the batch" if len(examples) > 1 else "")
              + (", with the L2 term lam theta" if rule.coupled_l2 else "") + " *)"]
    for name in spec.parameter_names:
        idx = _indices(name)
        body = " + ".join(f"g{name} x{e} y{e} {idx}" for e in examples)
        if rule.coupled_l2:
            body += f" + lam * {name} {idx}"
        define(f"G{name}", f"({idx} : nat) ", body)
    if rule.clip:
        squares = " + ".join(
            f"sum {spec.parameter_shape(n)[0]} (fun p => "
            + (f"sum {spec.parameter_shape(n)[1]} (fun k => G{n} p k ^ 2))" if n[0] == "W" else f"G{n} p ^ 2)")
            for n in spec.parameter_names)
        define("scale", "", f"clip / Rmax clip (sqrt ({squares}))")

    lines += ["", f"(* the update of the optimizer {optimizer.name}, as symcheck.model.update_rules states it *)"]
    for name in spec.parameter_names:
        idx = _indices(name)
        entry = {"p": f"{name} {idx}", "g": f"G{name} {idx}"}
        old = {state: f"{state}{name} {idx}" for state in rule.state}
        new = {state: f"{state}{name}n {idx}" for state in rule.state}
        for state, formula in rule.state.items():
            define(f"{state}{name}n", f"({idx} : nat) ", formula(old, new, entry["g"], entry["p"]))
        define(f"{name}n", f"({idx} : nat) ", rule.update(entry["p"], entry["g"], new))

    tables = defs[:len(spec.parameter_names) * (1 + len(rule.state))]
    lines += ["", *_unit_lemmas(partition, tables)]
    statements = []
    for prefix in ("", *rule.state):
        for pair in tie_identities(partition):
            n = f"{prefix}{pair.group}n"
            column = 1 if pair.property == "columns" else 0  # the tied unit's index in the entry
            statements.append((f"{n} {' '.join(map(str, pair.position))} = {n} {' '.join(map(str, pair.reference))}",
                               f"{prefix + ' of ' if prefix else ''}{pair.group}: {pair.property} of the class of "
                               f"unit {pair.reference[column]} of layer {pair.layer}", pair.layer, pair.position[column]))
    if not statements:
        return None
    # the step's own definitions; z_i, h_i, dh_i, delta_i and scale stay folded (rewritten by the lemmas above)
    step_defs = [d for d in defs if d not in tables and not re_layer(d)]
    lines += ["(* the tied entries after the step: unfold the update and the gradient (1)-(2), rewrite the",
              "   tied unit's z, h, delta to its class representative's, and compare *)",
              f"Ltac step := cbv [sum nth {' '.join(tables + step_defs)}].", ""]
    for number, (statement, what, layer, unit) in enumerate(statements):
        rewrites = _rewrites(partition, layer, unit, ("z", "h", "dh", "delta"))
        lines += [f"(* {what} *)", f"Lemma step_{number} : {statement}.", f"Proof. step; {rewrites}close. Qed."]
    conj = " /\\\n  ".join(s for s, *_ in statements)
    lines += ["", "(* one update maps the tied subspace (and the tied state) into itself *)",
              f"Theorem step_keeps_S :\n  {conj}.", f"Proof. {conj_proof(len(statements))}. Qed.", "",
              "End Step.", "", "Print Assumptions step_keeps_S.", ""]
    return "\n".join(lines)


def re_layer(name: str) -> bool:
    """The forward and backward quantities of the network, and the clipping scale: proved tied
    unit by unit, never unfolded inside a later proof (that keeps every proof small)."""
    return re.fullmatch(r"(z|h|dh|delta)\d+|scale", name) is not None and name != "h0"


def _rewrites(partition: Partition, layer: int, unit: int, names) -> str:
    """``rewrite ?z1_3, ?h1_3. `` -- the lemmas of ``unit`` among ``names`` (none for a representative)."""
    if not names or unit == partition.representative(layer, unit):
        return ""
    return "rewrite " + ", ".join(f"?{name}{layer}_{unit}" for name in names) + "; "


def _unit_lemmas(partition: Partition, tables: list[str]) -> list[str]:
    """For every unit p of a hidden layer that is not its class's representative q: z_i(p) = z_i(q)
    and h_i(p) = h_i(q) for every input, forward; dh_i(p) = dh_i(q) and delta_i(p) = delta_i(q) for
    every input and target, backward. Each unfolds one definition at the concrete indices and
    rewrites with the unit's lemmas before it (h with z; delta with dh, z and h)."""
    spec = partition.spec
    lines = ["(* tied units compute the same values: one lemma per unit and quantity, each unfolding one",
             "   definition, rewriting with the unit's lemmas before it, and comparing: the same term",
             "   on both sides is reflexivity, else ring *)",
             "Ltac close := lazymatch goal with |- ?a = ?b => first [constr_eq a b; reflexivity | ring] end.",
             f"Ltac unit_step d := intros; cbv [sum nth {' '.join(tables)} d].", ""]
    before = {"z": (), "h": ("z",), "dh": (), "delta": ("dh", "z", "h")}
    order = [item for i in range(1, spec.depth + 1) for item in (("z", "x", i), ("h", "x", i))]
    order += [item for i in range(spec.depth, 0, -1) for item in (("dh", "x y", i), ("delta", "x y", i))]
    for name, args, layer in order:
        for group in partition.classes(layer):
            for unit in group[1:]:
                rewrites = _rewrites(partition, layer, unit, before[name])
                lines += [f"Lemma {name}{layer}_{unit} : forall {args}, "
                          f"{name}{layer} {args} {unit} = {name}{layer} {args} {group[0]}.",
                          f"Proof. unit_step {name}{layer}; {rewrites}close. Qed."]
    return lines


def conj_proof(count: int) -> str:
    """``exact (conj step_0 (conj step_1 ... step_n))``: the conjunction nests to the right, like ``/\\``."""
    term = f"step_{count - 1}"
    for number in range(count - 2, -1, -1):
        term = f"(conj step_{number} {term})"
    return f"exact {term}"
