"""The house's layers run one way: a module never imports from a layer above its own, nor from a peer.

core ← audit ← notifications ← org ← accounts ← campaigns ← matters ← fieldwork ← the domain lines ← oversight ← the faces
(portal, api, open311) ← the site (minqing). Read from the source text (every import statement, also inside
functions), so nothing is run; tests, migrations and the benchmarks may import anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Bottom to top. Apps in one layer are peers: neither imports the other.
LAYERS: list[set[str]] = [
    {"core"},
    {"audit"},
    {"notifications"},
    {"org"},
    {"accounts"},
    {"campaigns"},
    {"matters"},
    {"fieldwork"},
    {"petitions", "care", "enterprises", "compounds"},  # the special lines
    {"oversight"},
    {"portal", "api", "open311"},  # the faces
    {"minqing"},  # the site: settings, the URL conf, the workbench, the demo loader
]
LAYER_OF = {app: index for index, apps in enumerate(LAYERS) for app in apps}
SKIPPED_PARTS = {"tests", "migrations"}


def _sources() -> list[Path]:
    files = []
    for app in LAYER_OF:
        folder = ROOT / app
        if folder.is_dir():
            files += [p for p in folder.rglob("*.py") if not SKIPPED_PARTS & set(p.relative_to(ROOT).parts)]
    return sorted(files)


def _imported_apps(path: Path) -> set[tuple[str, int]]:
    """(app, line) for every import of one of the house's apps in this file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {(name.split(".")[0], node.lineno) for name in names if name.split(".")[0] in LAYER_OF}
    return found


def upward_imports() -> list[str]:
    """Every import that runs up a layer or sideways to a peer, as `file:line: app -> app`."""
    wrong = []
    for path in _sources():
        own = path.relative_to(ROOT).parts[0]
        for app, line in sorted(_imported_apps(path), key=lambda pair: pair[1]):
            if app != own and LAYER_OF[app] >= LAYER_OF[own]:
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {own} -> {app}")
    return wrong


def test_no_module_imports_from_a_layer_above_its_own_or_from_a_peer() -> None:
    wrong = upward_imports()
    assert not wrong, "Imports that run up the layers (move the code down, or register it from above):\n" + "\n".join(
        wrong
    )


def test_the_layer_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The check itself works: an import of matters from core is found (on a copy of a file, not the tree)."""
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from matters.models import Matter\n    import fieldwork.duties\n", "utf-8")
    assert {app for app, _line in _imported_apps(probe)} == {"matters", "fieldwork"}


def test_every_app_of_the_house_has_a_layer() -> None:
    from django.apps import apps

    ours = {config.name.split(".")[0] for config in apps.get_app_configs() if (ROOT / config.name).is_dir()}
    assert ours <= set(LAYER_OF), f"Give these apps a layer in LAYERS: {sorted(ours - set(LAYER_OF))}"
