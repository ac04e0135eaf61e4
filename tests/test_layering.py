"""The architecture as rules over imports: no cycles, dependencies pointing one way.

Every module of ``symcheck/`` is parsed with ``ast`` (nothing is imported);
every ``import`` statement counts, at module level and inside function bodies.
Relative imports are resolved, and ``from package import submodule`` is an
import of the submodule. Imports under ``if TYPE_CHECKING:`` never run, so
they are left out of the cycle and layer rules (annotations may name any type).

The layers, lowest first (each may import only from the layers before it):
errors and display.py (the Jupyter mix-in: it imports nothing of symcheck when
it loads, and its one lazy import loads the LaTeX printer when a notebook asks);
budget; model/ (what users write); oracle/ (the numeric side: it
shares nothing symbolic with the proofs it checks, so it sits below exact/);
exact/ (verdicts, the decider, exact evaluation); symbolic/ (backprop with
SymPy); initialization/; induction/ with functional/ (one layer: proofs over
equal weights and over equitable classes use each other); scan/; general/;
kernels/; handout/ (the handout's computed content); render/ (printers: they
format result objects by their class name and import no result module at run
time); handout/build.py (computes, typesets and compiles the handout);
theorems/; cli/. The public facade
``symcheck/__init__.py``, ``torch.py``, ``pytest_plugin.py`` and ``__main__.py``
sit on top; ``display.py`` (the Jupyter mix-in that result classes inherit)
sits at the bottom: it imports nothing of symcheck when it loads, and its one
lazy import of the printer is the allow-listed exception to the layer order.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "symcheck"

#: the layers, lowest first; a module may import from its own layer and the layers before it
LAYERS = (
    ("errors", "display"),
    ("budget",),
    ("model",),
    ("oracle",),
    ("exact",),
    ("symbolic",),
    ("initialization",),
    ("induction", "functional"),
    ("scan",),
    ("general",),
    ("kernels",),
    ("handout",),
    ("render",),
    ("handout.build",),
    ("theorems",),
    ("cli",),
    ("torch", "pytest_plugin", "__main__", ""),  # "" is the public facade symcheck/__init__
)
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}

#: the packages that produce results; render/ prints them by class name and must not import them
RESULT_PACKAGES = ("induction", "functional", "general", "symbolic", "initialization", "handout", "scan",
                   "theorems", "kernels", "cli")

#: third-party packages that are optional (extras) and so imported only where they are used
OPTIONAL_PACKAGES = {
    "torch": "extra [torch]: model files and symcheck.torch",
    "onnx": "extra [scan]: ONNX model files",
    "safetensors": "extra [scan]: safetensors model files",
    "matplotlib": "extra [handout]: figures",
    "z3": "extra [kernels]: the z3 re-check",
    "cvc5": "extra [kernels]: the cvc5 re-check",
    "resource": "standard library on POSIX only",
}

#: the modules allowed to import part of symcheck inside a function body, with the reason
LAZY_SYMCHECK_IMPORTS = {
    "symcheck.display": "the Jupyter mix-in: _repr_latex_ loads the LaTeX printer only when a notebook asks",
    "symcheck.pytest_plugin": "pytest loads the plugin in every session of every project (entry point "
                              "pytest11); SymPy and the theorem machinery load only when a theorem file is collected",
}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    target: str | None  # the symcheck module imported (None: outside symcheck)
    external: str | None  # the top-level package imported from outside symcheck
    names: tuple[str, ...]  # the names bound by ``from ... import``
    line: int
    in_function: bool
    type_checking: bool

    def where(self) -> str:
        return f"{self.source}:{self.line}"


def module_files() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = ["symcheck", *path.relative_to(PACKAGE_DIR).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


MODULES = module_files()


def _known(name: str) -> str | None:
    """The deepest symcheck module that ``name`` lies in (a name inside a module resolves to it)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_in(module: str, source: str, is_package: bool = False) -> list[Import]:
    """Every import statement of ``source``, the text of ``module``, resolved."""
    package = module if is_package else module.rpartition(".")[0]
    found = []

    def visit(node, in_function: bool, type_checking: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            in_function = True
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, in_function, True)
            for child in node.orelse:
                visit(child, in_function, type_checking)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                internal = alias.name == "symcheck" or alias.name.startswith("symcheck.")
                found.append(Import(module, _known(alias.name) if internal else None,
                                    None if internal else alias.name.split(".")[0], (), node.lineno,
                                    in_function, type_checking))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            names = tuple(alias.name for alias in node.names)
            if origin == "symcheck" or origin.startswith("symcheck."):
                targets = {f"{origin}.{name}" if f"{origin}.{name}" in MODULES else _known(origin)
                           for name in names}
                for target in sorted(targets):
                    found.append(Import(module, target, None, names, node.lineno, in_function, type_checking))
            else:
                found.append(Import(module, None, origin.split(".")[0], names, node.lineno, in_function,
                                    type_checking))
        for child in ast.iter_child_nodes(node):
            visit(child, in_function, type_checking)

    visit(ast.parse(source, module), False, False)
    return found


IMPORTS = [record for module, path in MODULES.items()
           for record in imports_in(module, path.read_text(), path.name == "__init__.py")]


def layer_of(module: str) -> str:
    """'model' for symcheck.model.spec, 'errors' for symcheck.errors, '' for symcheck itself;
    a module named in LAYERS ('handout.build') is its own layer."""
    parts = module.split(".")[1:]
    for length in range(len(parts), 0, -1):
        if ".".join(parts[:length]) in RANK:
            return ".".join(parts[:length])
    return ""


def runtime_graph() -> dict[str, dict[str, Import]]:
    """module -> {imported module: the first import statement}, without TYPE_CHECKING imports and
    without a package ``__init__`` re-exporting its own submodules (that is not a dependency)."""
    graph: dict[str, dict[str, Import]] = {module: {} for module in MODULES}
    for record in IMPORTS:
        if record.target is None or record.type_checking or record.target == record.source:
            continue
        if MODULES[record.source].name == "__init__.py" and record.target.startswith(record.source + "."):
            continue
        graph[record.source].setdefault(record.target, record)
    return graph


def strongly_connected(graph: dict[str, dict[str, Import]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; the components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(graph[successor])))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def shortest_cycle(graph: dict[str, dict[str, Import]], start: str, members: set[str]) -> list[Import]:
    """The import statements of a shortest cycle through ``start`` inside ``members`` (breadth first)."""
    previous: dict[str, Import] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target, record in graph[node].items():
                if target not in members or target in previous:
                    continue
                previous[target] = record
                if target == start:
                    cycle = [record]
                    while cycle[-1].source != start:
                        cycle.append(previous[cycle[-1].source])
                    return cycle[::-1]
                following.append(target)
        frontier = following
    return []


def describe(cycle: list[Import]) -> str:
    steps = [f"{record.source} -> {record.target} ({record.where()}"
             + (", inside a function)" if record.in_function else ")") for record in cycle]
    return "\n    ".join(steps)


def violations(rule, records=IMPORTS) -> list[str]:
    return sorted({f"{record.where()}: imports {record.target or record.external}"
                   + (f" ({', '.join(record.names)})" if record.names else "")
                   for record in records if rule(record)})


# ------------------------------------------------------------------ the walk itself


SAMPLE = """
from .. import budget
from ..model.spec import MLP
from ..model import spec, MLP_NAME_THAT_IS_NOT_A_MODULE
from . import backprop
if TYPE_CHECKING:
    from ..induction.symmetry import Proof
def run():
    import torch
    from ..render.latex import latex
"""


def test_the_walk_resolves_relative_and_submodule_imports():
    records = imports_in("symcheck.symbolic.sample", SAMPLE)
    found = {(record.target or record.external, record.in_function, record.type_checking) for record in records}
    assert found == {
        ("symcheck.budget", False, False),  # "from .. import budget" is the module, not the package
        ("symcheck.model.spec", False, False),  # a name inside a module resolves to the module
        ("symcheck.model", False, False),  # a name that is no submodule comes from the package
        ("symcheck.symbolic.backprop", False, False),
        ("symcheck.induction.symmetry", False, True),
        ("torch", True, False),
        ("symcheck.render.latex", True, False),
    }
    assert imports_in("symcheck.model", "from . import spec", is_package=True)[0].target == "symcheck.model.spec"


def test_the_cycle_finder_finds_and_names_a_cycle():
    first, second = (Import("a", "b", None, (), 1, False, False), Import("b", "a", None, (), 7, True, False))
    graph = {"a": {"b": first}, "b": {"a": second}, "c": {"a": Import("c", "a", None, (), 2, False, False)}}
    assert strongly_connected(graph) == [["a", "b"]]
    assert describe(shortest_cycle(graph, "a", {"a", "b"})) == (
        "a -> b (a:1)\n    b -> a (b:7, inside a function)")


# ------------------------------------------------------------------ the rules


def test_no_import_cycle():
    graph = runtime_graph()
    cycles = [describe(shortest_cycle(graph, component[0], set(component)))
              for component in strongly_connected(graph)]
    assert not cycles, "import cycles (counting imports inside functions):\n  " + "\n  ".join(cycles)


#: Every subpackage layer (the top-level modules, layer "", are not one of them).
LAYERS = [layer for layer in sorted(RANK) if layer]


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_point_down_the_layers(layer):
    def upward(record):
        sanctioned = record.in_function and record.source in LAZY_SYMCHECK_IMPORTS  # the mix-in's printer
        return (record.target is not None and not record.type_checking and layer_of(record.source) == layer
                and RANK[layer_of(record.target)] > RANK[layer] and not sanctioned)

    assert not violations(upward), f"{layer} imports from a higher layer:\n" + "\n".join(violations(upward))


def test_model_and_exact_import_nothing_above_them():
    above = {"symbolic", "initialization", "induction", "functional", "scan", "general", "kernels", "handout",
             "render", "theorems", "cli"}
    found = violations(lambda record: layer_of(record.source) in ("model", "exact")
                       and record.target is not None and layer_of(record.target) in above)
    assert not found, "\n".join(found)


def test_oracle_imports_no_sympy_and_nothing_symbolic():
    symbolic = {"exact", "symbolic", "induction", "functional", "general", "initialization", "kernels"}
    found = violations(lambda record: layer_of(record.source) == "oracle" and (
        record.external == "sympy" or (record.target is not None and layer_of(record.target) in symbolic)))
    assert not found, "\n".join(found)


def test_nothing_the_oracle_loads_imports_sympy():
    """The numeric routes are independent of the symbolic one: the oracle's modules and every module
    of symcheck they import, directly or not (the numeric forms of ``model/``), import no SymPy."""
    graph = runtime_graph()
    loaded = {module for module in MODULES if layer_of(module) == "oracle"}
    frontier = list(loaded)
    while frontier:
        for target in graph[frontier.pop()]:
            if target not in loaded:
                loaded.add(target)
                frontier.append(target)
    assert "symcheck.model.optimizers" in loaded and "symcheck.model.activation_forms" in loaded
    found = violations(lambda record: record.source in loaded and record.external == "sympy")
    assert not found, "\n".join(found)


def test_nothing_below_cli_imports_cli():
    found = violations(lambda record: record.target is not None and layer_of(record.target) == "cli"
                       and RANK[layer_of(record.source)] < RANK["cli"])
    assert not found, "\n".join(found)


def test_render_imports_no_result_module():
    found = violations(lambda record: layer_of(record.source) == "render" and not record.type_checking
                       and record.target is not None and layer_of(record.target) in RESULT_PACKAGES)
    assert not found, "render/ imports result modules at run time:\n" + "\n".join(found)


def test_the_display_mixin_imports_nothing_of_symcheck_when_it_loads():
    found = violations(lambda record: record.source == "symcheck.display" and record.target is not None
                       and not record.in_function and not record.type_checking)
    assert not found, "\n".join(found)


def test_nothing_inside_imports_the_public_facade():
    # symcheck/__init__ imports the whole API; a module below it importing a name from it would
    # depend on everything (and on the order the facade imports things in)
    found = violations(lambda record: record.target == "symcheck" and record.source != "symcheck")
    assert not found, "import from the defining module instead:\n" + "\n".join(found)


@pytest.mark.parametrize("layer", LAYERS)
def test_no_private_name_imported_across_modules(layer):
    found = violations(lambda record: layer_of(record.source) == layer and any(
        name.startswith("_") and not name.startswith("__") for name in record.names))
    assert not found, "private names imported from another module:\n" + "\n".join(found)


def _lazy_without_reason(record: Import) -> bool:
    if not record.in_function or record.type_checking:
        return False
    if record.target is not None:
        return record.source not in LAZY_SYMCHECK_IMPORTS
    return record.external not in OPTIONAL_PACKAGES


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_inside_functions_only_for_optional_packages(layer):
    found = violations(lambda record: layer_of(record.source) == layer and _lazy_without_reason(record))
    assert not found, ("imports inside function bodies (move them to the top of the module; only optional "
                       "packages and the Jupyter mix-in load lazily):\n" + "\n".join(found))


def test_the_allow_lists_name_real_modules():
    for module in LAZY_SYMCHECK_IMPORTS:
        assert module in MODULES, module
    assert set(RANK) >= {layer_of(module) for module in MODULES}, "a package is missing from LAYERS"


if __name__ == "__main__":
    graph = runtime_graph()
    for component in strongly_connected(graph):
        print(f"cycle of {len(component)}:\n    " + describe(shortest_cycle(graph, component[0], set(component))))
