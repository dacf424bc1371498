"""A small HTTP/1.1 keep-alive load client on raw asyncio streams, cheap enough to share
two cores with the server it measures, and the figures of a run (used by the HTTP
benchmarks)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from harness import HOST, percentile

GRACE_SECONDS = 10  # requests still unanswered this long after a phase ends are errors


# --- the load generator ----------------------------------------------------------------------
class ProtocolError(Exception):
    pass


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    """One response: (status, keep the connection, body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        raise ProtocolError(f"bad status line {lines[0][:80]!r}")
    status = int(parts[1])
    length = -1
    chunked = False
    keep_alive = parts[0] == b"HTTP/1.1"
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            keep_alive = b"close" not in value.lower()
    body = b""
    if chunked:
        pieces = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
            pieces.append((await reader.readexactly(size + 2))[:-2])
            if size == 0:
                break
        body = b"".join(pieces)
    elif length >= 0:
        body = await reader.readexactly(length)
    else:
        body = await reader.read()  # body until the server closes
        keep_alive = False
    return status, keep_alive, body


@dataclass
class Tally:
    expected: int = 200
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    samples: dict[int, bytes] = field(default_factory=dict)  # a body per unexpected status
    elapsed_s: float = 0.0
    server_cpu_s: float | None = None  # the server's processes, user + system
    client_cpu_s: float = 0.0
    machine_busy_s: float | None = None  # every process on the machine

    @property
    def successes(self) -> int:
        return len(self.latencies_ms)

    @property
    def errors(self) -> int:
        unexpected = sum(n for status, n in self.statuses.items() if status != self.expected)
        return unexpected + sum(self.failures.values())


RequestFactory = Callable[[int], bytes]


async def connection_loop(
    port: int, make_request: RequestFactory, start: int, deadline: float, tally: Tally
) -> None:
    """One keep-alive connection sending requests back to back until the deadline."""
    clock = time.perf_counter  # uvloop's loop.time() has only millisecond resolution
    index = start
    writer: asyncio.StreamWriter | None = None
    try:
        while clock() < deadline:
            if writer is None:
                try:
                    reader, writer = await asyncio.open_connection(HOST, port)
                except OSError as failure:
                    tally.failures[f"connect: {type(failure).__name__}"] += 1
                    await asyncio.sleep(0.05)
                    continue
            request = make_request(index)
            index += 1
            began = clock()
            try:
                writer.write(request)
                status, keep_alive, body = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ProtocolError, ValueError) as failure:
                tally.failures[type(failure).__name__] += 1
                writer.close()
                writer = None
                continue
            if status == tally.expected:
                tally.latencies_ms.append((clock() - began) * 1000)
            else:
                tally.samples.setdefault(status, body[:300])
            tally.statuses[status] += 1
            if not keep_alive:
                writer.close()
                writer = None
    finally:
        if writer is not None:
            writer.close()


async def drive(
    port: int, make_request: RequestFactory, connections: int, seconds: float, expected: int
) -> Tally:
    tally = Tally(expected=expected)
    began = time.perf_counter()
    deadline = began + seconds
    tasks = [
        asyncio.create_task(connection_loop(port, make_request, n * 7919, deadline, tally))
        for n in range(connections)
    ]
    _, stuck = await asyncio.wait(tasks, timeout=seconds + GRACE_SECONDS)
    for task in stuck:
        task.cancel()
        tally.failures["timeout"] += 1
    await asyncio.gather(*tasks, return_exceptions=True)
    tally.elapsed_s = time.perf_counter() - began
    return tally


# --- figures -----------------------------------------------------------------------------------
def summarise(tally: Tally) -> dict[str, float | int]:
    ordered = sorted(tally.latencies_ms)
    return {
        "requests": tally.successes + tally.errors,
        "ok": tally.successes,
        "errors": tally.errors,
        "rps": tally.successes / tally.elapsed_s if tally.elapsed_s else 0.0,
        "p50_ms": percentile(ordered, 0.50),
        "p95_ms": percentile(ordered, 0.95),
        "p99_ms": percentile(ordered, 0.99),
        # CPU per successful request: what the server really costs, even on a busy machine.
        "server_cpu_ms": (
            tally.server_cpu_s * 1000 / tally.successes
            if tally.server_cpu_s is not None and tally.successes
            else float("nan")
        ),
        "client_cpu_ms": (
            tally.client_cpu_s * 1000 / tally.successes if tally.successes else float("nan")
        ),
        # CPU used meanwhile by everything but the server and this client, in cores (a
        # PostgreSQL server included).
        "other_cores": (
            max(0.0, tally.machine_busy_s - (tally.server_cpu_s or 0.0) - tally.client_cpu_s)
            / tally.elapsed_s
            if tally.machine_busy_s is not None and tally.elapsed_s
            else float("nan")
        ),
    }


def describe_failures(name: str, tally: Tally) -> None:
    odd = {status: n for status, n in tally.statuses.items() if status != tally.expected}
    if odd or tally.failures:
        print(f"  {name}: unexpected statuses {odd or '{}'}; failures {dict(tally.failures)}")
        for status, body in tally.samples.items():
            print(f"    {status}: {body.decode(errors='replace')[:200]!r}")
