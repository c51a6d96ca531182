"""The tree shows the pipeline: no module imports from a later stage, and the CLI imports only the app layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "procmap"

# read -> model -> compare -> layout -> render, with the views beside render and the app layer over all.
STAGES = {
    "errors": 0, "_gc": 0, "_version": 0, "files": 0,
    "model": 1, "words": 1, "options": 1, "bpmn": 2, "compare": 3, "layout": 4, "render": 5, "views": 6,
    "app": 7, "cli": 8, "__main__": 9, "web": 8, "portfolio": 7, "benefits": 7,
}


def _stage_of(module: str) -> int:
    top = module.split(".")[1] if module.startswith("procmap.") else None
    if top is None:
        return -1
    assert top in STAGES, f"procmap.{top} has no place in the pipeline: add it to STAGES"
    return STAGES[top]


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("procmap"):
            assert node.level == 0, f"{path}: relative import"
            found.append((node.lineno, node.module))
            if node.module == "procmap":  # from procmap import x: x may be a subpackage
                found += [(node.lineno, f"procmap.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("procmap")]
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_from_a_later_stage(path):
    own = "procmap." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    mine = _stage_of(own)
    for line, module in _imports(path):
        if module == "procmap":
            continue
        assert module != "procmap", f"{path}:{line} imports the package root"
        assert _stage_of(module) <= mine, f"{path}:{line}: {own} (stage {mine}) imports {module} (a later stage)"


def test_the_package_root_is_never_imported_from_inside():
    for path in MODULES:
        for line, module in _imports(path):
            assert module != "procmap", f"{path}:{line} imports the package root (import from the module instead)"
