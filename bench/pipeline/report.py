"""The bench's table: each figure, its goal (issue 10), and whether this run met it."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def report(results: dict[str, Any]) -> None:
    summary = results["summary"]
    table = Table(title="workplan bench: the whole pipeline", show_lines=False)
    table.add_column("figure")
    table.add_column("this run", justify="right")
    table.add_column("goal", justify="right")
    table.add_column("", justify="center")

    def row(name: str, value: float, goal: str, met: bool | None, fmt: str = "{:,.0f}") -> None:
        mark = "" if met is None else ("[green]✓[/green]" if met else "[red]✗[/red]")
        table.add_row(name, fmt.format(value), goal, mark)

    raw = summary["raw_events_per_s"]
    row("raw limit, events/s (same run)", raw, "", None)
    bus = summary["bus_end_to_end_per_s"]
    row("end to end via the bus, events/s", bus, "≥ 400 (idle)", bus >= 400)
    ratio = summary["bus_ratio_to_raw"]
    row("  ratio to the raw limit", ratio, "≥ 0.10", ratio >= 0.10, "{:.3f}")
    http = summary["http_end_to_end_per_s"]
    row("end to end via the HTTP API, commands/s", http, "≥ 200", http >= 200)
    row("  ratio to the raw limit", summary["http_ratio_to_raw"], "", None, "{:.3f}")
    budgets = {"planner (http)": 3.0, "archive (bus)": 0.5, "archive (paced)": 0.5,
               "notifier (bus)": 2.0}  # fmt: skip
    for name, value in summary["cpu_ms_per_event"].items():
        goal = budgets.get(name)
        row(
            f"CPU ms per event: {name}",
            value,
            f"≤ {goal:g}" if goal else "",
            value <= goal if goal else None,
            "{:.2f}",
        )
    rate = summary["paced_rate"]
    for stage, goal in (("commit_to_archived_ms", 50.0), ("commit_to_email_ms", 1000.0)):
        for p in ("p50", "p95", "p99"):
            value = summary[stage][p]
            label = stage.removesuffix("_ms").replace("_", " ")
            met = value <= goal if p == "p99" else None
            row(f"{label} at {rate:g}/s, {p} ms", value, f"≤ {goal:g}" if met is not None else "",
                met, "{:,.1f}")  # fmt: skip
    row("raw hop latency at the same rate, p99 ms", summary["raw_latency_ms"]["p99"], "", None,
        "{:,.1f}")  # fmt: skip
    for name, value in summary["idle_rss_mb"].items():
        row(f"RSS at idle, MB: {name}", value, "≤ 100", value <= 100)
    for name, value in summary["peak_rss_mb"].items():
        row(f"peak RSS, MB: {name}", value, "≤ 150", value <= 150)
    checked = summary["integrity"]
    lost = checked.get("lost_archive", 0) + checked.get("lost_email", 0)
    lost += checked.get("lost_notice", 0)
    doubled = checked.get("duplicate_emails", 0) + checked.get("duplicate_notices", 0)
    row(f"lost, of {checked.get('events_checked', 0):,} events", lost, "0", lost == 0)
    row("duplicates", doubled, "0", doubled == 0)
    console = Console()
    console.print(table)
    console.print(
        f"load average {results['machine']['load_average_at_start']:.2f} at start on "
        f"{results['machine']['cpus']} CPUs; medians of {results['plan']['repeats']} repeat(s)"
    )
