"""Running uvicorn worker processes, each listening on its own socket (SO_REUSEPORT).

uvicorn's own `--workers` shares one listening socket between the processes. Whichever
process wakes first accepts every connection waiting, so a burst of new connections (a
shift of agents opening the console, a crowd after an incident notice) lands on one or
two processes while the others idle, and keep-alive connections stay where they landed.
With a socket per process the kernel spreads new connections across the processes.

Python threads of one process share one interpreter lock, and a request holding
SQLite's write lock then waits for the interpreter between its statements; several
processes with few request threads each serve more, and more evenly, on a small machine
(docs/decisions/0002-sqlite-writer-queue.md)."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import time
from dataclasses import dataclass
from multiprocessing.context import SpawnProcess
from multiprocessing.synchronize import Event as EventType
from types import FrameType
from typing import Any

import uvicorn

logger = logging.getLogger("pharos.server")

APPLICATION = "pharos.asgi:application"
LISTEN_BACKLOG = 2048
MAX_FAILED_STARTS = 3


@dataclass(frozen=True)
class ServerOptions:
    host: str
    port: int
    workers: int
    log_level: str
    trusted_proxies: tuple[str, ...] = ()

    def uvicorn_config(self) -> dict[str, Any]:
        return {
            "app": APPLICATION,
            "host": self.host,
            "port": self.port,
            "log_level": self.log_level,
            "lifespan": "off",
            # A chat frame is a message of at most 20,000 characters, in JSON.
            "ws_max_size": 128 * 1024,
            # Behind a reverse proxy, trust its X-Forwarded-For so rate limits and the
            # audit log see the visitor's address, not the proxy's.
            "proxy_headers": bool(self.trusted_proxies),
            "forwarded_allow_ips": ",".join(self.trusted_proxies) or None,
        }


def default_worker_count() -> int:
    """One process per core and one more, each with a few request threads: the mix that
    served both the cached help-center pages and the database-bound tickets best here
    (decision 0002). At most 8, so a laptop with many cores does not start dozens."""
    configured = os.environ.get("PHAROS_WEB_WORKERS")
    if configured:
        return max(1, int(configured))
    return max(2, min(8, (os.cpu_count() or 1) + 1))


def serve(options: ServerOptions) -> None:
    if options.workers <= 1:
        uvicorn.run(**options.uvicorn_config())
        return
    _check_port_is_free(options.host, options.port)
    Supervisor(options).run()


class Supervisor:
    """Starts the workers, restarts one that dies, and stops them all on SIGINT/SIGTERM."""

    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        self.context = multiprocessing.get_context("spawn")
        self.workers: list[tuple[SpawnProcess, EventType]] = []
        self.stopping = False
        self.failed_starts = 0

    def run(self) -> None:
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.workers = [self._start() for _ in range(self.options.workers)]
            while not self.stopping:
                time.sleep(0.5)
                self._replace_dead_workers()
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _start(self) -> tuple[SpawnProcess, EventType]:
        ready = self.context.Event()
        process = self.context.Process(
            target=run_worker, args=(self.options, ready), name="pharos-http", daemon=True
        )
        process.start()
        return process, ready

    def _replace_dead_workers(self) -> None:
        for index, (process, ready) in enumerate(self.workers):
            if process.is_alive() or self.stopping:
                continue
            if ready.is_set():
                self.failed_starts = 0
            else:
                # Died before serving. Once may be bad luck (killed while starting); again
                # and again is an import error or a bad setting that a new worker would hit
                # too, so stop instead of restarting forever.
                self.failed_starts += 1
                if self.failed_starts >= MAX_FAILED_STARTS:
                    logger.error(
                        "Worker %s exited at start (code %s), %d times in a row; stopping.",
                        process.pid, process.exitcode, self.failed_starts,
                    )  # fmt: skip
                    self.stopping = True
                    raise SystemExit(1)
            logger.warning(
                "Worker %s died (code %s); starting another.", process.pid, process.exitcode
            )
            self.workers[index] = self._start()

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def _stop_all(self) -> None:
        for process, _ready in self.workers:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests under way
        deadline = time.monotonic() + 30
        for process, _ready in self.workers:
            process.join(timeout=max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()


def run_worker(options: ServerOptions, ready: EventType) -> None:
    """One worker process: the application loaded, its own listening socket, then uvicorn
    serving on it."""
    die_with_parent()
    config = uvicorn.Config(**options.uvicorn_config())
    config.load()  # the application imported before the socket opens: no early connection waits
    listener = _listening_socket(options.host, options.port, reuse_port=True)
    ready.set()
    uvicorn.Server(config).run(sockets=[listener])


def _listening_socket(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    family, kind, protocol, _name, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    listener = socket.socket(family, kind, protocol)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listener.bind(address)
    listener.listen(LISTEN_BACKLOG)
    listener.set_inheritable(True)
    return listener


def _check_port_is_free(host: str, port: int) -> None:
    """SO_REUSEPORT would let our workers share the port with another program of the same
    user, each getting some of the connections: refuse to start instead."""
    try:
        _listening_socket(host, port, reuse_port=False).close()
    except OSError as error:
        raise SystemExit(f"Cannot listen on {host}:{port}: {error.strerror}") from error


def die_with_parent() -> None:
    """Ask the kernel to stop this process when the supervisor goes, even by SIGKILL
    (Linux; elsewhere the supervisor's clean-up is all there is)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
