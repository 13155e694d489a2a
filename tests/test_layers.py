"""The import graph of src/healix runs downwards only (docs/architecture.md): no module
imports from a layer above its own, no controller imports the web layer, and utils/ is a
leaf that knows nothing of the domain."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "healix"

#: bottom to top; a module may import from its own layer and the layers below it
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("healix.config", "healix.exceptions")),
    ("utils", ("healix.utils",)),
    ("vocabulary", ("healix.biomarker_catalog", "healix.audit.events")),
    ("persistence", ("healix.models", "healix.extensions", "healix.db")),
    ("schemas", ("healix.schemas",)),
    ("audit", ("healix.audit",)),
    ("domain", ("healix.controllers",)),
    ("web", ("healix.middleware",)),
    (
        "entry",
        (
            "healix.routes",
            "healix.cli",
            "healix.cli_jobs",
            "healix.tasks",
            "healix.worker",
            "healix.demo",
            "healix",
        ),
    ),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    base = SRC.joinpath(*name.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def imports(path: Path) -> Iterator[str]:
    """Every healix module `path` imports, at module level or inside functions."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("healix"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("healix"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                yield sub if is_module(sub) else str(node.module)


def layer_of(module: str) -> int:
    """The index of the layer whose longest prefix names `module` (demo* counts as entry)."""
    best, best_length = None, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            matches = matches or (prefix == "healix.demo" and module.startswith("healix.demo"))
            if matches and len(prefix) > best_length:
                best, best_length = index, len(prefix)
    assert best is not None, module
    return best


EDGES = sorted(
    (module_name(path), target)
    for path in PACKAGE.rglob("*.py")
    for target in set(imports(path))
    if target != module_name(path)
)


def test_the_graph_was_read():
    assert len(EDGES) > 300
    assert ("healix.routes.user_routes", "healix.controllers.profile_controller") in EDGES


def test_no_import_runs_upwards():
    upwards = [
        f"{source} ({LAYERS[layer_of(source)][0]}) -> {target} ({LAYERS[layer_of(target)][0]})"
        for source, target in EDGES
        if layer_of(target) > layer_of(source)
    ]
    assert upwards == []


def test_no_controller_imports_the_web_layer():
    offenders = [
        (source, target)
        for source, target in EDGES
        if source.startswith("healix.controllers")
        and target.startswith(("healix.middleware", "healix.routes", "flask"))
    ]
    assert offenders == []


def test_controllers_never_touch_the_request():
    for path in (PACKAGE / "controllers").glob("*.py"):
        tree = ast.parse(path.read_text())
        flask_names = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "flask"
            for alias in node.names
        }
        assert not flask_names & {"request", "g", "abort"}, path.name


def test_utils_is_a_leaf():
    """utils/ may use only the foundation (settings, error types) and itself."""
    allowed = ("healix.utils", "healix.config", "healix.exceptions")
    offenders = [
        (source, target)
        for source, target in EDGES
        if source.startswith("healix.utils") and not target.startswith(allowed)
    ]
    assert offenders == []


def test_no_route_module_imports_another():
    offenders = [
        (source, target)
        for source, target in EDGES
        if source.startswith("healix.routes.")
        and target.startswith("healix.routes.")
        and source != "healix.routes.registry"
    ]
    assert offenders == []
