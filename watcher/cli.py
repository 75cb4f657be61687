"""The `zjwatch` command line: one Typer app, one module per command group under watcher/commands/."""

from __future__ import annotations

import typer

from watcher.commands import db, diff, fetch, parse, replica

app = typer.Typer(
    name="zjwatch",
    help="Watch Zhejiang government publication pages and report policy changes clause by clause.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def root() -> None:
    """Watch Zhejiang government publication pages and report policy changes clause by clause."""


for command_module in (parse, fetch, diff, db, replica):
    command_module.register(app)


@app.command()
def version() -> None:
    """Print the zjwatch version and the clause-schema version."""
    from importlib.metadata import version as dist_version

    from parsers.schema import SCHEMA_VERSION

    typer.echo(f"zjwatch {dist_version('zjwatch')} (clause schema {SCHEMA_VERSION})")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
