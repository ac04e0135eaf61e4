"""JSON-ready data for ``analyze``, ``trace`` and ``scan`` results: the ``AnalysisData``
mix-in of ``render.data.DataPrinter``."""

from __future__ import annotations

from ..exact.identities import kernels_data
from ..exact.verdict import UNDECIDED
from .sentence_text import sentence_text
from .analysis_verdict import dead_proved
from .text_analysis import QUOTIENT_NOTE


class AnalysisData:
    """``_print_Analysis``, ``_print_Trace``, ``_print_Scan`` and their parts."""

    def counterexample_data(self, example: Counterexample | None):
        if example is None:
            return None
        first, second = example.entries()
        return {"entry": first, "reference": second, "value": example.value,
                "reference_value": example.reference_value,
                "point": {k: str(v) for k, v in sorted(example.point.items())},
                "recheck": example.recheck_domain,
                "recheck_values": [example.recheck_value, example.recheck_reference_value],
                "rechecked": example.rechecked}

    def step_data(self, step: Induction | None):
        if step is None:
            return None
        return {"verdict": step.verdict, "evaluated_at_one_point": step.concrete,
                "checks": [{"group": c.group, "layer": c.layer, "property": c.property, "status": c.status,
                            "identities": c.identities, "methods": dict(c.methods),
                            **({"kernels": kernels_data(c)} if c.kernels else {})} for c in step.checks],
                "counterexample": self.counterexample_data(step.counterexample)}

    def claim_data(self, claim: Claim | None):
        if claim is None:
            return None
        data = {"statement": sentence_text(claim.statement), "verdict": claim.verdict,
                "base_case": {"identities": claim.base_identities, "holds": claim.base_holds},
                "inductive_step": self.step_data(claim.step)}
        data.update({k: v for k, v in claim.extra.items() if k != "class_level"})  # that one: _add_functional
        return data

    def _print_Analysis(self, a: Analysis) -> dict:
        spec = a.spec
        data = {
            "network": {"widths": list(spec.widths), "activation": spec.activation, "loss": spec.loss},
            "init": {"name": a.init.name, "description": sentence_text(a.init.description())},
            "optimizer": {"name": a.optimizer.name, "rule": sentence_text(a.optimizer.rule)},
            "layers": [{"layer": i, "width": spec.widths[i], "effective_width": len(classes),
                        "classes": [list(group) for group in classes]}
                       for i, classes in enumerate(a.partition.layers, 1)],
            "verdict": a.verdict,
            "tie_verdict": a.tie_verdict,
            "twins_persist": self.claim_data(a.twins),
            "dead_network": self.claim_data(a.dead),
            "no_hidden_layer": [dict(self.claim_data(c), name=c.name) for c in a.regression],
            "numeric_confirmation": None if a.numeric is None else {
                "runs": a.numeric.runs, "steps": a.numeric.steps,
                "max_twin_difference": a.numeric.max_twin_difference, "tolerance": a.numeric.tolerance,
                "twins_stay_equal": a.numeric.twins_stay_equal},
            "notes": [sentence_text(note) for note in a.notes],
        }
        if a.functional is not None:
            self.add_functional(data, a)
        return data

    def functional_claim_data(self, claim):
        if claim is None:
            return None
        rule = claim.rule
        return {"statement": sentence_text(claim.statement), "verdict": claim.verdict, "notes": list(claim.notes),
                "class_level": None if rule is None else {
                    "verdict": rule.verdict, "counterexample": rule.counterexample,
                    "checks": [{"identity": t, "status": st, "method": m} for t, st, m in rule.checks]},
                "first_step": self.step_data(claim.step)}

    def add_functional(self, data: dict, a: Analysis) -> None:
        f = a.functional
        for layer, classes, dead, live in zip(data["layers"], f.partition.layers, f.dead, f.live_widths):
            layer.update({"functional_classes": [list(g) for g in classes], "functional_width": len(classes),
                          "dead_units": list(dead), "live_width": live})
        data["live_width_excludes"] = "units proved dead" if dead_proved(f) else "nothing (no unit proved dead)"
        data["functional_ties"] = self.functional_claim_data(f.ties)
        data["dead_units"] = None if f.dead_claim is None else dict(
            self.functional_claim_data(f.dead_claim), biases=[
                {"bias": str(d.bias), "row_and_state_stay_zero": d.step.verdict, "bias_update": d.bias_update,
                 "factor": d.factor, "stays_nonpositive": d.stays_nonpositive, "condition": d.condition,
                 "witness": d.witness} for d in f.dead_steps])
        q = f.quotient
        data["quotient"] = None if q is None else {
            "widths": list(q.spec.widths), "class_sizes": [list(map(int, s)) for s in q.sizes],
            "parameters": {name: q.params[name].tolist() for name in q.spec.parameter_names}}
        data["float64"] = None if f.run is None else {
            "steps": f.run.steps, "max_loss_difference": f.run.max_loss_difference,
            "tie_drift": f.run.ties.drift, "ties_kept": f.run.ties.level, "tolerance": f.run.ties.tolerance,
            "quotient_lemma_difference": f.lemma_difference, "quotient_exact": True,
            "note": "float64 evidence; it never changes an exact verdict"}
        if f.run is None and f.float_tie is not None:
            data["float64"] = {
                "steps": f.float_tie.steps, "max_loss_difference": None, "tie_drift": f.float_tie.drift,
                "ties_kept": f.float_tie.level, "tolerance": f.float_tie.tolerance,
                "quotient_lemma_difference": f.lemma_difference, "quotient_exact": False,
                "note": "float64 evidence; it never changes an exact verdict. " + QUOTIENT_NOTE}
        claims = []
        if a.twins is not None and a.twins.step is None and a.partition.is_trivial:
            # nothing is tied, so nothing is claimed: not a "proved" claim about nothing
            claims.append({"name": "twins persist", "verdict": "not applicable",
                           "statement": "no claim: every hidden unit is distinct at the start (no twins)"})
        elif a.twins is not None:
            claims.append({"name": "twins persist", "verdict": a.twins.verdict, "statement": sentence_text(a.twins.statement)})
        for c in (f.ties, f.dead_claim, a.dead):
            if c is not None:
                claims.append({"name": c.name, "verdict": c.verdict, "statement": sentence_text(c.statement)})
        data["claims"] = claims
        level = a.twins.extra.get("class_level") if a.twins is not None else None
        if level is not None:
            data["twins_persist"]["class_level"] = self.functional_claim_data(level)["class_level"]
            data["twins_persist"].pop("class_level_claim", None)

    def witness_data(self, w: Witness | None):
        if w is None:
            return None
        return {"entry": w.entry, "point": {k: str(v) for k, v in sorted(w.point.items())}, "value": w.value,
                "replayed": w.recheck, "rechecked": w.rechecked}

    def _print_Trace(self, t: Trace) -> dict:
        spec = t.spec
        return {
            "network": {"widths": list(spec.widths), "activation": spec.activation, "loss": spec.loss},
            "init": {"name": t.init.name, "description": sentence_text(t.init.description())},
            "data": sentence_text(t.data_note),
            "initial_invariants_hold": all(i.status == "holds" for i in t.initial_invariants),
            "steps": [
                {"step": s.step, "moved": s.moved, "zero_gradient": s.zero_gradient,
                 "invariants_hold": s.invariants_hold,
                 "equal_moves": [g.name for g in s.groups if g.status == "moves" and g.equal_moves],
                 "undecided": [g.name for g in s.groups if g.status == UNDECIDED],
                 "witnesses": {g.name: self.witness_data(g.witness) for g in s.groups if g.witness},
                 "invariants": [{"invariant": i.description, "status": i.status,
                                 "witness": self.witness_data(i.witness)} for i in s.invariants]}
                for s in t.steps
            ],
            "dead_network": self.claim_data(t.dead),
        }

    def _print_Scan(self, s: Scan) -> dict:
        data = self._print_Analysis(s.analysis)
        chain = s.chain
        data["command"] = "scan"
        data["file"] = {"path": chain.path, "format": chain.format, "dtypes": list(chain.dtypes)}
        data["network"]["activation_source"] = s.activation_source
        data["mapping"] = [{"parameter": f"W{i}", "source": layer.weight_name, "kind": layer.kind,
                            "shape": list(layer.weight.shape), "bias": f"b{i}", "bias_source": layer.bias_name}
                           for i, layer in enumerate(chain.layers, 1)]
        for entry, layer in zip(data["layers"], chain.layers):
            entry.update({"kind": layer.kind, "source": layer.weight_name})
        data["parameters"] = s.parameters
        data["effective_parameters"] = s.effective_parameters
        data["near_ties"] = None if s.near is None else {
            "tolerance": s.near.tolerance, "note": "float evidence; never proved",
            "layers": [{"layer": i, "count": c, "pairs": [[p, q, d] for p, q, d in pairs]}
                       for i, (pairs, c) in enumerate(zip(s.near.layers, s.near.counts), 1)]}
        return data
