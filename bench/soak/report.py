"""The soak's table: what was driven, what was injected, what was lost or done twice."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def report(results: dict[str, Any]) -> None:
    console = Console(width=None if Console().is_terminal else 110)
    if "events_driven" not in results:
        console.print(results.get("traceback", ""), markup=False, highlight=False)
        console.print(f"[red]the soak did not finish: {results.get('error')}[/red]")
        return
    table = Table(title="workplan soak: the guarantees under faults")
    table.add_column("figure")
    table.add_column("this run", justify="right")
    table.add_column("must be", justify="right")
    table.add_column("", justify="center")

    def row(name: str, value: object, goal: str = "", met: bool | None = None) -> None:
        mark = "" if met is None else ("[green]✓[/green]" if met else "[red]✗[/red]")
        shown = f"{value:,}" if isinstance(value, int) else str(value)
        table.add_row(name, shown, goal, mark)

    driven = results["events_driven"]
    row("events driven: staff actions (HTTP API)", driven["staff_actions_http"])
    row("events driven: external events (bus)", driven["external_events_bus"])
    row("events committed (outbox, with the sample plan)", driven["committed_in_outbox"])
    row("events checked in every store", driven["events_checked"])
    row("  requests sent again (no answer, 5xx)", driven["http_retries"])
    row("  publishes sent again (no confirm)", driven["bus_retries"])
    faults = results["faults"]
    for kind, n in faults["injected_by_kind"].items():
        ready = faults["ready_seconds_by_kind"].get(kind)
        shown = (
            f"{n}  (ready {ready['max']:.1f} s after restart, {ready['outage_max']:.1f} s "
            "after the fault)"
            if ready
            else f"{n}"
        )
        row(f"fault: {kind}", shown)
    row("faults that failed", len(faults["failed"]), "0", not faults["failed"])
    for name, store in results["stores"].items():
        row(f"lost: {name}", store["lost"], "0", store["lost"] == 0)
        row(f"applied twice: {name}", store["applied_twice"], "0", store["applied_twice"] == 0)
    for channel in ("email", "webhook"):
        sent = results[channel]
        row(f"{channel}: deliveries", sent["deliveries"])
        row(f"lost: {channel}", sent["lost"], "0", sent["lost"] == 0)
        allowed = all(kind.startswith("kill-") for kind in sent["sent_twice_by_fault"])
        by = ", ".join(f"{k} {v}" for k, v in sent["sent_twice_by_fault"].items()) or "none"
        row(f"{channel}s sent twice ({by})", sent["sent_twice"], "0 but SIGKILL", allowed)
        for story, n in sent.get("sent_twice_attempts_recorded", {}).items():
            row(f"  attempts recorded: {story}", n)
    redelivered = results["redeliveries"]
    row(
        "redeliveries: repeats dropped by the inboxes",
        int(redelivered["repeats_dropped_by_inboxes"]),
    )
    row("relay publishes that failed (retried)", int(redelivered["relay_publish_failures"]))
    row("dead-lettered", int(redelivered["dead_lettered"]), "0", not redelivered["dead_lettered"])
    row("lost, in all", results["lost"], "0", results["lost"] == 0)
    row("effects applied twice, in all", results["applied_twice"], "0",
        results["applied_twice"] == 0)  # fmt: skip
    console.print(table)
    console.print(
        f"set-up {results.get('set_up_seconds', 0):.0f} s, "
        f"load {results.get('load_seconds', 0):.0f} s, "
        f"quiet after {results.get('quiet_seconds', 0):.0f} s; load average "
        f"{results['machine']['load_average_at_start']:.2f} at start on "
        f"{results['machine']['cpus']} CPUs"
    )
    if results.get("failures"):
        console.print(f"[red]FAILED: {'; '.join(results['failures'])}[/red]")
