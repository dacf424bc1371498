"""`pharos serve` on a fresh machine: migrates, loads the demo data once, serves."""

from __future__ import annotations

import os
import smtplib
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

PHAROS = Path(sys.executable).with_name("pharos")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(
    data_dir: Path, port: int, *options: str, smtp_port: int | None = None
) -> subprocess.Popen[bytes]:
    environment = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL"}}
    environment.update(
        {
            "PHAROS_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "pharos.settings",
            # Its own port for the mail server, so that no two servers (or `make run`) meet.
            "PHAROS_SMTP_PORT": str(smtp_port or _free_port()),
            # The embeddings the bot's tests already made: the server is up in seconds.
            "PHAROS_BOT_CACHE_DIR": str(settings.BOT_EMBEDDING_CACHE_DIR),
        }
    )
    return subprocess.Popen(  # noqa: S603 (our own command, fixed arguments)
        [str(PHAROS), "serve", "--port", str(port), "--log-level", "warning", *options],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _get(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own server)
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.mark.skipif(not PHAROS.exists(), reason="the pharos command is not installed")
def test_serve_starts_an_empty_install_with_demo_data_and_keeps_it(tmp_path: Path) -> None:
    port = _free_port()
    server = _serve(tmp_path, port)
    try:
        _get(f"http://127.0.0.1:{port}/healthz", time.monotonic() + 90)
        home = _get(f"http://127.0.0.1:{port}/en/", time.monotonic() + 10)
        assert "Deposits &amp; withdrawals" in home
        article = _get(
            f"http://127.0.0.1:{port}/zh-hans/articles/how-to-withdraw/", time.monotonic() + 10
        )
        assert "如何提币" in article
    finally:
        server.terminate()
        server.wait(timeout=20)
    database = tmp_path / "pharos.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        articles = connection.execute("SELECT COUNT(*) FROM helpcenter_article").fetchone()[0]
        connection.execute(
            "UPDATE helpcenter_article SET title_en = 'Edited by hand' "
            "WHERE slug = 'how-to-withdraw'"
        )
    assert articles >= 60

    # A second start finds data and neither reloads nor duplicates it.
    server = _serve(tmp_path, port)
    try:
        page = _get(f"http://127.0.0.1:{port}/en/articles/how-to-withdraw/", time.monotonic() + 90)
        assert "Edited by hand" in page
    finally:
        server.terminate()
        server.wait(timeout=20)
    with sqlite3.connect(database) as connection:
        assert (
            connection.execute("SELECT COUNT(*) FROM helpcenter_article").fetchone()[0] == articles
        )


def _processes_of(data_dir: Path, marker: bytes) -> list[int]:
    """Processes with `marker` in their command line whose environment points at this data
    folder."""
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            command = (process / "cmdline").read_bytes()
            environment = (process / "environ").read_bytes()
        except OSError:
            continue
        if marker in command and f"PHAROS_DATA_DIR={data_dir}".encode() in environment:
            found.append(int(process.name))
    return found


def _workers_of(data_dir: Path) -> list[int]:
    """Task workers of the server using this data folder."""
    return _processes_of(data_dir, b"db_worker")


def _http_workers_of(data_dir: Path) -> list[int]:
    """HTTP worker processes (started by multiprocessing's spawn) of that server."""
    return _processes_of(data_dir, b"multiprocessing.spawn")


def _wait_for(condition, seconds: float = 20) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_serve_runs_a_task_worker_the_chat_broker_and_the_mail_server_that_stop_with_it(
    tmp_path: Path,
) -> None:
    port, smtp_port = _free_port(), _free_port()
    server = _serve(tmp_path, port, smtp_port=smtp_port)
    try:
        _get(f"http://127.0.0.1:{port}/healthz", time.monotonic() + 90)
        assert len(_workers_of(tmp_path)) == 1
        assert len(_processes_of(tmp_path, b"chat_broker")) == 1
        assert (tmp_path / "run" / "chat-broker.sock").is_socket()
        # Mail sent to the demo's support mailbox becomes a ticket, with nothing else running.
        assert _wait_for(lambda: _smtp_answers(smtp_port), 30)
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as client:
            client.sendmail(
                "lin.mei@example.com",
                ["support@tidewell.example"],
                b"From: lin.mei@example.com\r\nTo: support@tidewell.example\r\n"
                b"Subject: Deposit missing\r\nMessage-ID: <serve-1@example.com>\r\n\r\nHelp\r\n",
            )
        assert _wait_for(lambda: _email_conversations(tmp_path) == 1, 30)
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert _wait_for(
        lambda: (
            not _workers_of(tmp_path)
            and not _processes_of(tmp_path, b"chat_broker")
            and not _processes_of(tmp_path, b"mail_server")
        ),
        10,
    )


def _smtp_answers(port: int) -> bool:
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=2) as client:
            return client.noop()[0] == 250
    except OSError:
        return False


def _email_conversations(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "pharos.sqlite3") as connection:
        query = "SELECT COUNT(*) FROM conversations_conversation WHERE channel = 'email'"
        return int(connection.execute(query).fetchone()[0])


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_serve_keeps_its_http_workers_running_and_stops_them_with_it(tmp_path: Path) -> None:
    port = _free_port()
    server = _serve(tmp_path, port, "--workers", "2")
    try:
        _get(f"http://127.0.0.1:{port}/healthz", time.monotonic() + 90)
        assert _wait_for(lambda: len(_http_workers_of(tmp_path)) == 2)
        first, second = _http_workers_of(tmp_path)
        # Each worker listens on a socket of its own, and both take connections.
        assert _wait_for(lambda: _listening_sockets(first) and _listening_sockets(second))
        # A worker that dies is replaced and the site keeps answering.
        os.kill(first, 9)
        assert _wait_for(
            lambda: len(_http_workers_of(tmp_path)) == 2 and first not in _http_workers_of(tmp_path)
        )
        assert "ok" in _get(f"http://127.0.0.1:{port}/healthz", time.monotonic() + 30)
    finally:
        server.terminate()
        server.wait(timeout=40)
    assert _wait_for(lambda: _http_workers_of(tmp_path) == [], seconds=10)


def _listening_sockets(pid: int) -> int:
    """How many sockets the process has open (its listener among them)."""
    try:
        return sum(
            1 for fd in Path(f"/proc/{pid}/fd").iterdir() if os.readlink(fd).startswith("socket:")
        )
    except OSError:
        return 0


def test_serve_refuses_a_port_another_program_holds(tmp_path: Path) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        server = _serve(tmp_path, port, "--workers", "2", "--no-worker")
        output, _ = server.communicate(timeout=90)
    assert server.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{port}" in output.decode()
