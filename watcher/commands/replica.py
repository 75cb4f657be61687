"""`zjwatch replica`: serve the local replica of the Zhejiang sites on 127.0.0.1."""

from __future__ import annotations

import time

import typer

from watcher.replica import ReplicaError, run_replica


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""

    @app.command()
    def replica(
        port: int = typer.Option(
            8480, "--port", min=0, max=65533, help="Province port; city +1, county +2; 0 = any"
        ),
        articles: int = typer.Option(0, "--articles", min=0, max=100_000, help="Extra synthetic articles"),
    ) -> None:
        """Serve the replica of the Zhejiang government sites (province, city, GBK county) until Ctrl-C."""
        try:
            with run_replica(port=port, articles=articles) as running:
                for name, url in running.base_urls.items():
                    typer.echo(f"{name:8} {url}/col/col{running.site.sites[name].columns[0].id}/index.html")
                typer.echo(f"events   POST {running.base_url}/__replica__/event (JSON), see docs/replica.md")
                while True:
                    time.sleep(3600)
        except ReplicaError as exc:
            typer.echo(f"zjwatch replica: {exc}", err=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            typer.echo("stopped")
