"""The README's layout section is true: it names every package of ``symcheck/`` and, for the
packages it lists file by file, exactly the modules that are there."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "symcheck"


def _layout_block() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```\n", 2)[1].splitlines()


def _listed() -> tuple[set, set, dict]:
    """(top-level modules, packages, package -> its modules listed one by one)."""
    modules, packages, files = set(), set(), {}
    current = None
    for line in _layout_block():
        match = re.match(r"^( +)([\w.]+/?)(?:,\s*([\w.]+))?\s", line + " ")
        if not match:
            continue
        indent, name = len(match.group(1)), match.group(2)
        if indent == 2 and name.endswith("/"):
            current = name[:-1]
            packages.add(current)
        elif indent == 2 and name.endswith(".py"):
            current = None
            modules.add(name)
        elif indent == 4 and name.endswith(".py") and current is not None:
            files.setdefault(current, set()).add(name)
    return modules, packages, files


def test_every_top_level_module_and_package_is_in_the_layout():
    modules, packages, _ = _listed()
    actual_modules = {p.name for p in PACKAGE.glob("*.py")} - {"__main__.py"}
    actual_packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert modules == actual_modules, f"README layout vs symcheck/*.py: {sorted(modules ^ actual_modules)}"
    assert packages == actual_packages, f"README layout vs packages: {sorted(packages ^ actual_packages)}"


def test_packages_listed_file_by_file_list_exactly_their_modules():
    _, _, files = _listed()
    assert files, "the layout lists no package file by file"
    for package, listed in files.items():
        actual = {p.name for p in (PACKAGE / package).glob("*.py")} - {"__init__.py"}
        assert listed == actual, f"README layout of {package}/: {sorted(listed ^ actual)}"
