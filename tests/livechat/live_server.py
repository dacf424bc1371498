"""Real `pharos serve` processes for the chat's end-to-end tests: a data folder prepared
with a customer, an agent and their chat (in a subprocess: the servers' database is not
the pytest one), servers started and stopped as a whole process group, and a WebSocket
client that speaks the chat's protocol the way a browser page would."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidHandshake
from websockets.typing import Origin

HOST = "127.0.0.1"
PROJECT_DIR = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 15
FRAME_TIMEOUT_SECONDS = 5.0
RECONNECT_SECONDS = 10.0


def pharos_command() -> Path:
    """`pharos` of the running interpreter's venv (else the project's .venv)."""
    beside = Path(sys.executable).parent / "pharos"
    return beside if beside.exists() else PROJECT_DIR / ".venv" / "bin" / "pharos"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def new_data_dir() -> Path:
    # Short: the chat broker's Unix socket lives in it (paths are limited to ~107 bytes).
    return Path(tempfile.mkdtemp(prefix="pharos-live-"))


def remove_data_dir(data_dir: Path) -> None:
    shutil.rmtree(data_dir, ignore_errors=True)


def server_environment(data_dir: Path, redis_url: str = "") -> dict[str, str]:
    """The environment of a server (and of the data preparation) on `data_dir`: SQLite
    there whatever DATABASE_URL the test run has, and the chat's events through Redis
    only when `redis_url` is given (otherwise through the broker `pharos serve` starts)."""
    environment = dict(os.environ)
    for name in [name for name in environment if name.startswith("PHAROS_")]:
        del environment[name]  # the test run's settings are not the servers'
    environment.update(
        DJANGO_SETTINGS_MODULE="pharos.settings",
        PHAROS_DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'pharos.sqlite3'}",
        # Empty is "no Redis" for the settings, and beats a REDIS_URL in a local .env.
        REDIS_URL=redis_url,
        # The test run's embeddings: a server's answer bot starts without embedding again.
        PHAROS_BOT_CACHE_DIR=str(settings.BOT_EMBEDDING_CACHE_DIR),
    )
    return environment


# --- the people and their chat ----------------------------------------------------------------
PREPARE_SCRIPT = """
import json
import secrets
from importlib import import_module

import django

django.setup()

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command

call_command("migrate", interactive=False, verbosity=0)

from pharos.accounts.models import StaffRole, Team
from pharos.accounts.services import create_customer, create_staff_member
from pharos.conversations import services
from pharos.conversations.models import Channel, Conversation, Status, Topic

team = Team.objects.get(slug="general-support")
topic = Topic.objects.get(slug="other")
customer = create_customer(
    uid="30000001", email="alice.live@example.com", display_name="Alice", language="en"
)
agent = create_staff_member(
    email="carol.live@tidewell.example", role=StaffRole.AGENT, display_name="Carol"
)
agent.teams.add(team)
# A random id: the chat's event group (conversation.<id>) is then its own, even in a Redis
# another test run on this machine shares.
chat = Conversation.objects.create(
    pk=secrets.randbelow(10**9) + 10**6,
    reference=services.next_reference(), channel=Channel.CHAT, customer=customer,
    topic=topic, subject="Chat", status=Status.BOT, team=team, language="en",
)
chat = services.hand_off_to_people(chat, "asked for a person")
chat = services.assign(chat, agent.user, by=agent.user)
chat.refresh_from_db()
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


def session_of(user):
    session = SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


print(json.dumps({
    "conversation_id": chat.pk,
    "reference": chat.reference,
    "last_sequence": chat.last_sequence,
    "cookie_name": settings.SESSION_COOKIE_NAME,
    "customer_session": session_of(customer.user),
    "agent_session": session_of(agent.user),
}))
"""


@dataclass(frozen=True)
class PreparedChat:
    """What both people's pages would know: the chat's reference, the last sequence the
    page showed, and each person's session cookie."""

    conversation_id: int
    reference: str
    last_sequence: int
    cookie_name: str
    customer_session: str
    agent_session: str

    def cookie(self, session_key: str) -> str:
        return f"{self.cookie_name}={session_key}"

    @property
    def customer_cookie(self) -> str:
        return self.cookie(self.customer_session)

    @property
    def agent_cookie(self) -> str:
        return self.cookie(self.agent_session)


def prepare_chat(environment: dict[str, str]) -> PreparedChat:
    """Migrate the servers' database and create a customer, an agent of general support,
    a chat handed off to people and assigned to that agent, and a session for each."""
    finished = subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", PREPARE_SCRIPT],
        env=environment,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"preparing the chat failed:\n{finished.stderr[-4000:]}")
    return PreparedChat(**json.loads(finished.stdout.strip().splitlines()[-1]))


# --- servers ------------------------------------------------------------------------------
class Server:
    """One `pharos serve --workers 1 --no-worker --no-demo` on a port of its own, in its
    own process group, that can be stopped and started again on the same port."""

    def __init__(self, environment: dict[str, str], port: int, name: str = "serve") -> None:
        self.environment = environment
        self.port = port
        self.name = name
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.log_path = Path(environment["PHAROS_DATA_DIR"]) / f"{name}-{port}.log"

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        self.starts += 1
        with self.log_path.open("ab") as log:
            log.write(f"--- start {self.starts} ---\n".encode())
            log.flush()
            self.process = subprocess.Popen(  # noqa: S603 (our own command, fixed arguments)
                [
                    str(pharos_command()), "serve", "--host", HOST, "--port", str(self.port),
                    "--workers", "1", "--no-worker", "--no-mail", "--no-demo", "--log-level", "warning",
                ],
                env=self.environment,
                cwd=PROJECT_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the server and its broker
            )  # fmt: skip
        try:
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """SIGTERM to the whole process group (the server, its chat broker), SIGKILL for
        whatever is left after a while."""
        process = self.process
        if process is None:
            return
        group = process.pid  # start_new_session: the group's id is the leader's pid
        for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT_SECONDS), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=wait)
                break
        # The leader is gone; a helper of the group that outlived it goes too. (The group's
        # id stays reserved while any member lives, so this reaches only our processes.)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)

    def log_tail(self, characters: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-characters:]
        except OSError:
            return ""

    def _wait_until_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        request = f"GET /healthz HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nConnection: close\r\n\r\n"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"pharos serve exited with status {self.process.returncode}:\n"
                    + self.log_tail()
                )
            with (
                contextlib.suppress(OSError),
                socket.create_connection((HOST, self.port), timeout=2) as connection,
            ):
                connection.sendall(request.encode())
                if connection.recv(64).startswith(b"HTTP/1.1 200"):
                    return
            time.sleep(0.1)
        raise RuntimeError(
            f"pharos serve did not answer /healthz within {STARTUP_TIMEOUT_SECONDS}s:\n"
            + self.log_tail()
        )


# --- a person's chat page -------------------------------------------------------------------
@dataclass
class ChatPage:
    """What one person's chat page holds: the messages it shows (by sequence, as a page
    that resumes from the last sequence it saw must keep them), and every chat.message
    event that came for a sequence it already showed."""

    rendered_up_to: int = 0  # the page came with the messages up to this sequence
    shown: dict[int, tuple[str, str]] = field(default_factory=dict)
    repeats: list[dict[str, Any]] = field(default_factory=list)

    @property
    def last_sequence(self) -> int:
        return max(self.shown, default=self.rendered_up_to)

    def take(self, event: dict[str, Any]) -> None:
        sequence = int(event["sequence"])
        if sequence in self.shown:
            self.repeats.append(event)
        else:
            self.shown[sequence] = (str(event["author_kind"]), str(event["body"]))

    def transcript(self) -> list[tuple[int, str, str]]:
        """(sequence, author kind, body) of the messages shown, in order."""
        return [(s, *self.shown[s]) for s in sorted(self.shown)]


class ChatSocket:
    """One WebSocket of a chat page, to /ws/chat/<reference>/, signed in by cookie."""

    def __init__(self, connection: ClientConnection, page: ChatPage) -> None:
        self.connection = connection
        self.page = page

    @classmethod
    async def open(
        cls, server: Server, reference: str, cookie: str, page: ChatPage | None = None
    ) -> ChatSocket:
        connection = await connect(
            f"ws://{HOST}:{server.port}/ws/chat/{reference}/",
            origin=Origin(server.origin),
            additional_headers={"Cookie": cookie},
            proxy=None,
            open_timeout=FRAME_TIMEOUT_SECONDS,
            close_timeout=2,
        )
        return cls(connection, page if page is not None else ChatPage())

    async def send(self, frame: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(frame))

    async def receive(self, timeout: float = FRAME_TIMEOUT_SECONDS) -> dict[str, Any]:
        frame = json.loads(await asyncio.wait_for(self.connection.recv(), timeout))
        assert isinstance(frame, dict), frame
        if frame.get("type") == "chat.message":
            self.page.take(frame)
        return frame

    async def next_of(self, kind: str, timeout: float = FRAME_TIMEOUT_SECONDS) -> dict[str, Any]:
        """The next frame of that type; frames of other types are passed over (chat
        messages still reach the page)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError(f"no {kind} frame within {timeout}s")
            frame = await self.receive(remaining)
            if frame.get("type") == kind:
                return frame

    async def hello_and_send(
        self, last_sequence: int, body: str, client_message_id: str
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Resume from `last_sequence`, then send a message: the chat.message events the
        server resent (everything before the ack: the socket answers frames in order),
        and the ack."""
        await self.send({"type": "hello", "last_sequence": last_sequence})
        await self.send({"type": "message", "body": body, "client_message_id": client_message_id})
        return await self.until_ack(client_message_id)

    async def say(self, body: str, client_message_id: str) -> dict[str, Any]:
        """Send a message; its ack."""
        await self.send({"type": "message", "body": body, "client_message_id": client_message_id})
        _before, ack = await self.until_ack(client_message_id)
        return ack

    async def until_ack(
        self, client_message_id: str
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        before: list[dict[str, Any]] = []
        while True:
            frame = await self.receive()
            if frame.get("type") == "error":
                raise AssertionError(f"the server refused a frame: {frame}")
            if frame.get("type") == "ack" and frame.get("client_message_id") == client_message_id:
                return before, frame
            if frame.get("type") == "chat.message":
                before.append(frame)

    async def message(self, sequence: int) -> dict[str, Any]:
        """Wait for the chat.message of that sequence (as it arrives live)."""
        while True:
            frame = await self.next_of("chat.message")
            if frame["sequence"] == sequence:
                return frame

    async def nothing_more(self, seconds: float = 0.3) -> list[dict[str, Any]]:
        """The frames that come within `seconds` (none, usually)."""
        frames = []
        with contextlib.suppress(TimeoutError):
            while True:
                frames.append(await self.receive(seconds))
        return frames

    async def close(self) -> None:
        await self.connection.close()


async def reopen(
    server: Server, reference: str, cookie: str, page: ChatPage, refusals: list[str]
) -> ChatSocket:
    """Open a chat page's socket again after it dropped: at once, and while the server
    refuses, again every 0.2 s for a while, as a page does. Each refusal is added to
    `refusals`."""
    deadline = time.monotonic() + RECONNECT_SECONDS
    while True:
        try:
            return await ChatSocket.open(server, reference, cookie, page)
        except (OSError, InvalidHandshake) as refused:
            refusals.append(f"{type(refused).__name__}: {refused}")
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)


def events(frames: list[dict[str, Any]]) -> list[tuple[int, str, str]]:
    """chat.message events as (sequence, author kind, body), what a person reads."""
    return [
        (int(f["sequence"]), str(f["author_kind"]), str(f["body"]))
        for f in frames
        if f.get("type") == "chat.message"
    ]
