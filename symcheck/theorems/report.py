"""Reports of a ``symcheck check`` run: a table for people, JSON, JUnit XML for CI systems.

With ``timings=False`` nothing measured appears, so the same run gives
byte-identical output."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..exact.verdict import UNDECIDED
from .runner import CONTRADICTED, ERROR, OK, Outcome

HEADER = ("theorem", "expected", "got", "seconds")
#: what XML 1.0 does not allow in a document: C0 controls but tab, newline and carriage return,
#: surrogates and U+FFFE/U+FFFF; ElementTree writes them as they are, which no parser reads back
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def summary_counts(outcomes: list[Outcome]) -> dict:
    counts = {"total": len(outcomes), OK: 0, CONTRADICTED: 0, UNDECIDED: 0, ERROR: 0}
    for outcome in outcomes:
        counts[outcome.status] += 1
    return counts


def summary_line(outcomes: list[Outcome], timings: bool = True) -> str:
    counts = summary_counts(outcomes)
    parts = [f"{counts[OK]} as expected"]
    parts += [f"{counts[key]} {key}" for key in (CONTRADICTED, UNDECIDED, ERROR) if counts[key]]
    line = f"{counts['total']} theorem{'s' if counts['total'] != 1 else ''}: {', '.join(parts)}"
    if timings:
        line += f" ({sum(o.seconds for o in outcomes):.1f} s of checking)"
    return line


def table(outcomes: list[Outcome], timings: bool = True) -> str:
    width = max([len(HEADER[0])] + [len(o.name) for o in outcomes])
    columns = HEADER if timings else HEADER[:3]
    lines = [_row(columns, width)]
    for outcome in outcomes:
        got = outcome.got if outcome.status == OK else outcome.got.upper()
        cells = [outcome.name, outcome.expect, got]
        if timings:
            cells.append(f"{outcome.seconds:.2f}")
        lines.append(_row(cells, width))
    problems = [o for o in outcomes if o.status != OK]
    for outcome in problems:
        lines += ["", *details(outcome)]
    lines += ["", summary_line(outcomes, timings)]
    return "\n".join(lines) + "\n"


def _row(cells, width: int) -> str:
    text = f"{cells[0]:<{width}}  {cells[1]:<9} {cells[2]:<10}"
    if len(cells) > 3:
        text += f" {cells[3]:>7}"
    return text.rstrip()


def details(outcome: Outcome) -> list[str]:
    """What a reader needs when a theorem did not get its expected verdict."""
    heading = {CONTRADICTED: "CONTRADICTED", UNDECIDED: "UNDECIDED", ERROR: "ERROR"}[outcome.status]
    lines = [f"{heading} {outcome.name} ({outcome.path}): expected {outcome.expect}, got {outcome.got}",
             f"  statement: {' '.join(outcome.statement.split())}",
             f"  {outcome.summary}"]
    lines += [f"  {line}" for line in outcome.evidence]
    return lines


def outcome_data(outcome: Outcome, timings: bool = True) -> dict:
    data = {"name": outcome.name, "file": outcome.path, "statement": outcome.statement,
            "expected": outcome.expect, "got": outcome.got, "status": outcome.status}
    if timings:
        data["seconds"] = round(outcome.seconds, 3)
    data.update({"summary": outcome.summary, "evidence": list(outcome.evidence), "cases": list(outcome.cases)})
    return data


def report_data(outcomes: list[Outcome], exit_code: int, timings: bool = True) -> dict:
    return {"theorems": [outcome_data(o, timings) for o in outcomes],
            "summary": summary_counts(outcomes), "exit_code": exit_code}


def junit_xml(outcomes: list[Outcome], timings: bool = True) -> str:
    counts = summary_counts(outcomes)
    suite = ET.Element("testsuite", {
        "name": "symcheck", "tests": str(counts["total"]), "failures": str(counts[CONTRADICTED]),
        "errors": str(counts[UNDECIDED] + counts[ERROR]), "skipped": "0"})
    if timings:
        suite.set("time", f"{sum(o.seconds for o in outcomes):.3f}")
    for outcome in outcomes:
        case = ET.SubElement(suite, "testcase", {"classname": "symcheck.theorems", "name": outcome.name,
                                                 "file": outcome.path})
        if timings:
            case.set("time", f"{outcome.seconds:.3f}")
        if outcome.status != OK:
            tag = "failure" if outcome.status == CONTRADICTED else "error"
            element = ET.SubElement(case, tag, {
                "type": outcome.status, "message": f"expected {outcome.expect}, got {outcome.got}: {outcome.summary}"})
            element.text = "\n".join(details(outcome)) + "\n"
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join([outcome.summary, *outcome.evidence]) + "\n"
    root = ET.Element("testsuites")
    root.append(suite)
    for element in root.iter():  # theorem names, statements and evidence are the user's text
        element.text = _xml_text(element.text)
        for key, value in element.attrib.items():
            element.set(key, _xml_text(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _xml_text(text: str | None) -> str | None:
    """``text`` with each character XML 1.0 forbids replaced by a visible escape such as \\x1b."""
    if text is None:
        return None
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}" if ord(match.group()) < 256
                        else f"\\u{ord(match.group()):04x}", text)
