"""The packages import each other only along the data flow: watcher -> parsers -> store -> notifiers.

parsers imports none of the other three; store imports only the schema from parsers; notifiers
reads store and the schema; watcher ties everything together. Checked on the source, statically,
so a violation fails here before it becomes an import cycle somewhere else.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("watcher", "parsers", "store", "notifiers")

# package -> which first-party modules it may import ("parsers" means any parsers.* module)
ALLOWED: dict[str, tuple[str, ...]] = {
    "parsers": ("parsers",),
    "store": ("store", "parsers.schema"),
    "notifiers": ("notifiers", "store", "parsers.schema"),
    "watcher": ("watcher", "parsers", "store", "notifiers", "seeds"),
}


def first_party_imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            # "from parsers import schema" imports parsers.schema; "from parsers.x import Y" imports parsers.x
            names = [names[0]] if "." in node.module else names[1:] or names[:1]
        else:
            continue
        found.extend((node.lineno, name) for name in names if name.split(".")[0] in (*PACKAGES, "seeds"))
    return found


def is_allowed(imported: str, allowed: tuple[str, ...]) -> bool:
    return any(imported == prefix or imported.startswith(prefix + ".") for prefix in allowed)


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_follow_the_layers(package: str) -> None:
    violations = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, name in first_party_imports(path)
        if not is_allowed(name, ALLOWED[package])
    ]
    assert not violations, "layering violations:\n" + "\n".join(violations)


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from store.models import Version\nimport watcher.cli\nfrom parsers import schema\n")
    names = [name for _, name in first_party_imports(bad)]
    assert names == ["store.models", "watcher.cli", "parsers.schema"]
    assert not is_allowed("store.models", ALLOWED["parsers"])
    assert is_allowed("parsers.schema", ALLOWED["store"])
    assert not is_allowed("parsers.pipeline", ALLOWED["store"])
