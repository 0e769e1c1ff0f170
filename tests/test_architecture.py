"""The package's shape: no import cycles, one list of page methods, nothing hard-coded twice."""

import ast
import re
from pathlib import Path

import mlp
from mlp.session import Session

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mlp"


def _imports(path):
    """The mlp modules a module imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mlp."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("mlp."))
    return found - {"__init__"}


def test_no_import_cycle_among_mlp_modules():
    graph = {p.stem: _imports(p) for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")}
    assert graph["network"] and "network" not in graph["training"]  # the walk sees imports at all
    done, path = set(), []

    def visit(module):
        if module in path:
            cycle = path[path.index(module):] + [module]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        path.append(module)
        for dep in sorted(graph.get(module, ())):
            visit(dep)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)


def test_the_worker_calls_exactly_the_declared_page_methods():
    """Session.PAGE_METHODS lists the methods declared with @page_method: every one is called by the
    page, and the page (or the worker) calls nothing else."""
    called = set()
    for js in (ROOT / "web" / "js").rglob("*.js"):
        called |= set(re.findall(r'(?:call|callSession)\("([a-z_]+)"', js.read_text()))
    assert called == set(Session.PAGE_METHODS)
    declared = {name for name, member in vars(Session).items() if getattr(member, "page_method", False)}
    assert set(Session.PAGE_METHODS) == declared and len(Session.PAGE_METHODS) == len(declared)


def test_no_backprop_is_swapped_in_by_patching_an_instance():
    """A learner's backprop is a value passed to the trainer (mlp.backprop), never an attribute set on a
    network and looked for with vars()."""
    for path in PACKAGE.glob("*.py"):
        text = path.read_text()
        assert "vars(self.network)" not in text and '"backprop" in vars' not in text, path
        assert "MethodType" not in text, path


def test_the_post_is_cited_with_its_url():
    url = "https://www.ritchievink.com/blog/2017/07/10/programming-a-neural-network-from-scratch/"
    for path in (ROOT / "README.md", PACKAGE / "network.py"):
        text = path.read_text()
        assert url in text and "Ritchie Vink" in text and "2017" in text, path


def test_each_equation_is_written_out_once():
    """The post's equations used in the code are listed in mlp.network's docstring, and only there."""
    table = mlp.network.__doc__
    used = set()
    for path in PACKAGE.glob("*.py"):
        used |= set(re.findall(r"eq\. (\d\.\d\.\d)", path.read_text()))
    for number in used:
        assert re.search(rf"^{re.escape(number)}\s", table, re.M), f"eq. {number} is not in mlp.network's table"
