"""`--store` on parse: the whole flow from a notice file to a named change in `zjwatch history`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from watcher.cli import app


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_parse_store_then_history_names_the_amount_change(tmp_path: Path, seed_paths: list[Path]) -> None:
    db_url = f"sqlite:///{tmp_path / 'zjwatch.db'}"
    seed = next(p for p in seed_paths if p.name.startswith("000_"))
    edited = tmp_path / "000_edited.txt"
    text = seed.read_text(encoding="utf-8")
    anchor = text.index("(二)")
    cap = text.index("1000万元", anchor)
    edited.write_text(text[:cap] + "1500万元" + text[cap + len("1000万元") :], encoding="utf-8")

    assert run("db", "upgrade", "--db-url", db_url)[0] == 0
    code, out, err = run("parse", str(seed), "--store", "--db-url", db_url, "--json")
    assert code == 0, err
    assert json.loads(out)["documents"][0]["doc_number"] == "浙政发〔2026〕6号"  # stdout stays JSON
    assert "new document" in err

    code, _, err = run("parse", str(seed), "--store", "--db-url", db_url)
    assert code == 0 and "unchanged" in err

    code, _, err = run("parse", str(edited), "--store", "--db-url", db_url)
    assert code == 0 and "1 change(s)" in err

    code, out, err = run("history", "浙政发〔2026〕6号", "--db-url", db_url, "--json")
    assert code == 0, err
    versions = json.loads(out)["versions"]
    assert len(versions) == 2
    [change] = [stored["change"] for stored in versions[1]["changes"]]
    assert change["kind"] == "amount_changed"
    assert (change["old_amount"]["value"], change["new_amount"]["value"]) == ("10000000", "15000000")
    assert change["new_label"] == "(二)"


def test_store_on_an_unmigrated_database_says_what_to_run(tmp_path: Path, seed_paths: list[Path]) -> None:
    db_url = f"sqlite:///{tmp_path / 'fresh.db'}"
    code, _, err = run("parse", str(seed_paths[0]), "--store", "--db-url", db_url)
    assert code == 1
    assert "zjwatch db upgrade" in err
    assert "Traceback" not in err
