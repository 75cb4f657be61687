from typer.testing import CliRunner

from parsers.schema import SCHEMA_VERSION
from watcher.cli import app


def test_version_names_the_schema_version() -> None:
    result = CliRunner().invoke(app, ["version"])
    assert result.exit_code == 0, result.output
    assert f"clause schema {SCHEMA_VERSION}" in result.output
