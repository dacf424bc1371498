"""What the HTTP benchmarks share: starting and stopping `pharos serve`, the CPU a phase
cost (server, client, whole machine), and figures."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

HOST = "127.0.0.1"  # only this machine is ever a target
PROJECT_DIR = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_SECONDS = 90
STOP_TIMEOUT_SECONDS = 10
BOT_CACHE_DIR = PROJECT_DIR / "var" / "cache"  # the answer bot's embeddings (bot/embedding.py)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
T = TypeVar("T", bound=Any)


def pharos_command() -> Path:
    """`pharos` of the running interpreter's venv (else the project's .venv)."""
    beside = Path(sys.executable).parent / "pharos"
    return beside if beside.exists() else PROJECT_DIR / ".venv" / "bin" / "pharos"


def venv_python() -> Path:
    beside = pharos_command().parent / "python"
    return beside if beside.exists() else Path(sys.executable)


def migrate(environment: dict[str, str], timeout: float) -> None:
    subprocess.run(
        [str(pharos_command()), "migrate", "--verbosity", "0"],
        env=environment,
        check=True,
        timeout=timeout,
        stdout=subprocess.DEVNULL,
    )


# A data script (bench/*_data.py, run under Django) prints its result after this.
RESULT_MARKER = "PHAROS-BENCH-PREPARED "


def run_data_script(
    script: str, arguments: list[str], environment: dict[str, str], timeout: float
) -> Any:
    """Run bench/<script> under Django in the environment's database; its JSON result."""
    finished = subprocess.run(
        [str(venv_python()), str(Path(__file__).resolve().with_name(script)), *arguments],
        env={**environment, "DJANGO_SETTINGS_MODULE": "pharos.settings"},
        check=True,
        timeout=timeout,
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in reversed(finished.stdout.splitlines()):
        if line.startswith(RESULT_MARKER):
            return json.loads(line.removeprefix(RESULT_MARKER))
    raise RuntimeError(f"{script} printed no result")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT_SECONDS), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)  # the server and its uvicorn workers
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)
            return


def wait_until_healthy(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    request = f"GET /healthz HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pharos serve exited with status {process.returncode}")
        with (
            contextlib.suppress(OSError),
            socket.create_connection((HOST, port), timeout=2) as connection,
        ):
            connection.sendall(request.encode())
            if connection.recv(64).startswith(b"HTTP/1.1 200"):
                return
        time.sleep(0.2)
    raise RuntimeError(f"pharos serve did not answer /healthz within {STARTUP_TIMEOUT_SECONDS}s")


def process_group_cpu_seconds(group: int) -> float | None:
    """User + system CPU of every live process in a process group (the server and its
    uvicorn workers)."""
    total = 0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(stat[2]) == group:  # fields after the name: state, ppid, pgrp, …
            total += int(stat[11]) + int(stat[12])  # utime, stime
    return total / CLOCK_TICKS


def machine_busy_seconds() -> float | None:
    """CPU time spent by everything on the machine (all cores), from /proc/stat."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def measure(run: Callable[[], T], server_group: int) -> T:
    """Run one phase and attach the CPU it cost: server, client, whole machine."""
    server_before = process_group_cpu_seconds(server_group)
    machine_before = machine_busy_seconds()
    client_before = time.process_time()
    tally = run()
    tally.client_cpu_s = time.process_time() - client_before
    server_after = process_group_cpu_seconds(server_group)
    machine_after = machine_busy_seconds()
    if server_before is not None and server_after is not None:
        tally.server_cpu_s = server_after - server_before
    if machine_before is not None and machine_after is not None:
        tally.machine_busy_s = machine_after - machine_before
    return tally


def percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return float("nan")
    rank = max(0, math.ceil(fraction * len(ordered)) - 1)  # nearest rank
    return ordered[min(rank, len(ordered) - 1)]


def figure(value: float | int, digits: int = 2) -> float | None:
    """A number for the JSON line (null when there was nothing to measure)."""
    return None if math.isnan(value) else round(float(value), digits)


def new_event_loop_factory() -> tuple[Callable[[], asyncio.AbstractEventLoop], str]:
    try:
        import uvloop  # installed with uvicorn[standard]; a cheaper client
    except ImportError:
        return asyncio.new_event_loop, "asyncio"
    return uvloop.new_event_loop, "uvloop"
