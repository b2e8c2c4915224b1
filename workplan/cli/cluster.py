"""``workplan cluster up|down|status``: a three-node RabbitMQ cluster on this machine for
demos and trials (:mod:`workplan.local_run.rabbit_cluster`), never the machine's broker.

``up`` starts the nodes in the background and returns; their state is kept in the folder
given (``cluster.json``), so ``status`` and ``down`` find them again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from workplan.local_run.rabbit_cluster import ClusterError, LocalRabbitCluster

app = typer.Typer(
    help="A RabbitMQ cluster of its own on this machine (demos, trials).", no_args_is_help=True
)
DirOption = Annotated[
    Path, typer.Option("--dir", help="Where the nodes keep their data, logs and state.")
]
DEFAULT_DIR = Path("var/rabbit-cluster")


@app.command("up")
def up(
    folder: DirOption = DEFAULT_DIR,
    nodes: Annotated[int, typer.Option(min=1, max=9, help="How many nodes.")] = 3,
    name: Annotated[
        str | None, typer.Option(help="Node names are NAME-1@localhost, … (default: random).")
    ] = None,
) -> None:
    """Start the nodes on free ports, join them into one cluster, print their addresses."""
    if (folder / "cluster.json").exists():
        typer.echo(f"a cluster was already started in {folder}: `workplan cluster down` first")
        raise typer.Exit(1)
    cluster = LocalRabbitCluster(nodes=nodes, base_dir=folder, name=name, keep_data=False)
    typer.echo(f"starting {nodes} RabbitMQ node(s) in {folder.resolve()} …")
    try:
        cluster.start()
    except (ClusterError, OSError) as exc:
        typer.echo(f"cannot start the cluster: {exc}", err=True)
        raise typer.Exit(1) from exc
    _print_status(cluster)
    typer.echo(
        "\nPoint the services at it, e.g.:\n"
        f"  export WORKPLAN_AMQP_URL={cluster.amqp_urls[0]}\n"
        f"`workplan cluster down --dir {folder}` stops it and removes its data."
    )


@app.command("status")
def status(
    folder: DirOption = DEFAULT_DIR,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Each node: its name, AMQP address and whether it runs in the cluster."""
    cluster = _attached(folder)
    if as_json:
        described = cluster.describe()
        described["running_nodes"] = cluster.running_nodes()
        typer.echo(json.dumps(described, indent=2))
        return
    _print_status(cluster)


@app.command("down")
def down(folder: DirOption = DEFAULT_DIR) -> None:
    """Stop every node and remove the folder with their data."""
    cluster = _attached(folder)
    cluster.stop()
    typer.echo(f"stopped {len(cluster.nodes)} node(s); removed {folder.resolve()}")


def _attached(folder: Path) -> LocalRabbitCluster:
    try:
        return LocalRabbitCluster.attach(folder)
    except ClusterError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc


def _print_status(cluster: LocalRabbitCluster) -> None:
    clustered = set(cluster.running_nodes())
    typer.echo(f"cluster {cluster.name} ({cluster.base_dir.resolve()})")
    for node in cluster.nodes:
        state = "running" if node.name in clustered else ("up" if node.running else "stopped")
        typer.echo(f"  {node.name:<28} {node.amqp_url:<40} {state}")
