"""The live-chat benchmark's figures (bench/livechat_load.py): the JSON line's values from
one run, the target checks, and the summary table."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from harness import figure, percentile

if TYPE_CHECKING:
    from livechat_load import ChatLoad, Window

TARGET_CUSTOMERS = 1000
TARGET_AGENTS = 50
TARGET_MESSAGES_PER_S = 200.0
TARGET_DELIVERY_P99_MS = 100.0
# The window's edges cut a message or two: within 1% of the rate counts as reaching it.
RATE_TOLERANCE = 0.99


# --- figures -------------------------------------------------------------------------------------
def summarise(load: ChatLoad, window: Window, connecting: Window) -> dict[str, Any]:
    """The run's figures, for the JSON line: first those the target is about."""
    measured = [sent for sent in load.sent.values() if sent.measured]
    delivered = sum(1 for sent in measured if sent.delivered)
    ordered = sorted(load.latencies_ms)
    nan = float("nan")
    server_cpu = window.server_cpu_s
    per_message_ms = 1000 * server_cpu / delivered if delivered and server_cpu is not None else None

    def rounded(value: float | None, digits: int = 2) -> float | None:
        return None if value is None else figure(value, digits)

    return {
        "customers": load.customers_connected(),
        "agents": load.agents_connected(),
        "messages_per_s": figure(delivered / window.duration_s, 1),
        "delivery_p50_ms": figure(percentile(ordered, 0.50)),
        "delivery_p99_ms": figure(percentile(ordered, 0.99)),
        "lost": len(measured) - delivered,
        "sent": len(measured),
        "sent_by_customers": sum(1 for sent in measured if sent.from_customer),
        "delivered": delivered,
        "delivery_p90_ms": figure(percentile(ordered, 0.90)),
        "delivery_max_ms": figure(ordered[-1] if ordered else nan),
        "acks_missing": sum(1 for sent in measured if not sent.acked),
        "stored_per_s": figure(load.acks_in_window / window.duration_s, 1),
        "duplicates": load.duplicates,
        "too_fast": load.server_errors["too_fast"],
        "server_errors": dict(load.server_errors),
        "send_failures": load.send_failures,
        "sockets_open": load.sockets_open(),
        "sockets_dropped": sum(load.dropped.values()),
        "dropped_close_codes": dict(load.dropped),
        "connect_failures": sum(load.connect_failures.values()),
        "connect_failure_reasons": dict(load.connect_failures),
        "connect_s": round(connecting.duration_s, 1),
        "connects_per_s": figure(2 * len(load.chats) / connecting.duration_s, 1),
        "connect_server_cores": rounded(connecting.cores(connecting.server_cpu_s)),
        "duration_s": round(window.duration_s, 2),
        "server_cpu_s": rounded(window.server_cpu_s),
        "server_cpu_ms_per_message": rounded(per_message_ms),
        "server_cores": rounded(window.cores(window.server_cpu_s)),
        "broker_cores": rounded(window.cores(window.broker_cpu_s)),
        "client_cores": rounded(window.cores(window.client_cpu_s)),
        "machine_busy_cores": rounded(window.cores(window.machine_busy_s)),
        "other_cores": rounded(window.cores(window.other_load_s())),
    }


def target_checks(result: dict[str, Any]) -> dict[str, bool]:
    rate, p99 = result["messages_per_s"], result["delivery_p99_ms"]
    return {
        "customers": result["customers"] >= TARGET_CUSTOMERS,
        "agents": result["agents"] >= TARGET_AGENTS,
        "messages_per_s": rate is not None and rate >= TARGET_MESSAGES_PER_S * RATE_TOLERANCE,
        "delivery_p99_ms": p99 is not None and p99 <= TARGET_DELIVERY_P99_MS,
        "lost": result["lost"] == 0,
    }


def print_summary(
    result: dict[str, Any], options: argparse.Namespace, checks: dict[str, bool]
) -> None:
    def verdict(name: str) -> str:
        return "met" if checks[name] else "MISSED"

    errors = sum(result["server_errors"].values()) - result["too_fast"]
    rows = [
        ("customers connected", f"{result['customers']:,} / {options.customers:,}",
         f">= {TARGET_CUSTOMERS:,}", verdict("customers")),
        ("agents connected", f"{result['agents']:,} / {options.agents:,}",
         f">= {TARGET_AGENTS:,}", verdict("agents")),
        ("sockets open", f"{result['sockets_open']:,} / {2 * options.customers:,}", "", ""),
        ("connecting took, s", f"{result['connect_s']} ({result['connects_per_s']}/s)", "", ""),
        ("messages/s offered", f"{result['offered_per_s']:g}", "", ""),
        ("messages/s delivered", f"{result['messages_per_s']}",
         f">= {TARGET_MESSAGES_PER_S * RATE_TOLERANCE:g}", verdict("messages_per_s")),
        ("messages/s stored (acks)", f"{result['stored_per_s']}", "", ""),
        ("delivery p50 ms", f"{result['delivery_p50_ms']}", "", ""),
        ("delivery p90 ms", f"{result['delivery_p90_ms']}", "", ""),
        ("delivery p99 ms", f"{result['delivery_p99_ms']}",
         f"<= {TARGET_DELIVERY_P99_MS:g}", verdict("delivery_p99_ms")),
        ("delivery max ms", f"{result['delivery_max_ms']}", "", ""),
        ("lost", f"{result['lost']:,} of {result['sent']:,}", "0", verdict("lost")),
        ("acks missing", f"{result['acks_missing']:,}", "", ""),
        ("too_fast / other errors", f"{result['too_fast']} / {errors}", "", ""),
        ("sockets dropped", f"{result['sockets_dropped']}", "", ""),
        ("connect failures", f"{result['connect_failures']}", "", ""),
        ("server CPU, cores", f"{result['server_cores']} (broker {result['broker_cores']})",
         "", ""),
        ("server CPU per message, ms", f"{result['server_cpu_ms_per_message']}", "", ""),
        ("client CPU, cores", f"{result['client_cores']}", "", ""),
        ("other programs, cores", f"{result['other_cores']}", "", ""),
    ]  # fmt: skip
    print(
        f"\nLive chat, {options.workers} server process(es): {options.customers:,} customers, "
        f"{options.agents:,} "
        f"agents, {result['duration_s']:g} s measured on {os.cpu_count()} cores"
    )
    header = f"{'':<28}{'measured':>24}{'target':>12}  "
    print(header)
    print("-" * (len(header) + 6))
    for name, value, target, met in rows:
        print(f"{name:<28}{value:>24}{target:>12}  {met}")
    missed = [name for name, met in checks.items() if not met]
    print(f"Target: {'MISSED (' + ', '.join(missed) + ')' if missed else 'met'}")
    if options.customers < TARGET_CUSTOMERS or options.agents < TARGET_AGENTS:
        print("(This run is smaller than the target's 1,000 customers and 50 agents.)")
    if options.workers != 1:
        print(f"(The target is for one server process; this run had {options.workers}.)")
