"""A real Dovecot IMAP server for the polling tests, started once per session: its own
configuration in a temporary directory, TLS only (a private CA signs a certificate for
127.0.0.1 and nothing else), one user with a known password, maildir storage, a free
port. The system's Dovecot configuration and service, if any, are not touched.

`make mailserver` installs Dovecot (Debian's dovecot-imapd); without it the tests skip.
No Python certificate library is needed: the openssl command line makes the certificates."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from imapclient import IMAPClient

DOVECOT = Path("/usr/sbin/dovecot")
USERNAME = "support"
PASSWORD = "imap-test-password-7f3c"
STARTUP_SECONDS = 20


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    ca_file: str  # the private CA that signed the server's certificate
    username: str
    password: str
    log_file: Path

    def client(self) -> IMAPClient:
        """A connection as the mailbox's owner (a mail client, not Pharos), over verified
        TLS, logged in."""
        context = ssl.create_default_context(cafile=self.ca_file)
        client = IMAPClient(self.host, self.port, ssl=True, ssl_context=context, timeout=30)
        client.login(self.username, self.password)
        return client

    def log(self) -> str:
        return self.log_file.read_text(errors="replace") if self.log_file.exists() else ""


def _openssl(*arguments: str, directory: Path) -> None:
    subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        ["openssl", *arguments],  # noqa: S607 (openssl from PATH is what we want)
        cwd=directory,
        check=True,
        capture_output=True,
    )


def make_certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate it signs for IP 127.0.0.1 only (no DNS
    name: connecting as "localhost" must fail the host name check). The files: CA
    certificate, server certificate, server key."""
    (directory / "server.ext").write_text(
        "basicConstraints = critical, CA:FALSE\n"
        "keyUsage = critical, digitalSignature, keyEncipherment\n"
        "extendedKeyUsage = serverAuth\n"
        "subjectAltName = IP:127.0.0.1\n"
        "subjectKeyIdentifier = hash\n"
        "authorityKeyIdentifier = keyid\n"
    )
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=Pharos test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        directory=directory,
    )  # fmt: skip
    _openssl(
        "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1",
        directory=directory,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
        directory=directory,
    )  # fmt: skip
    return directory / "ca.pem", directory / "server.pem", directory / "server.key"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def write_config(directory: Path, port: int, certificate: Path, key: Path) -> Path:
    """A minimal dovecot.conf: imaps on 127.0.0.1:<port> and nothing else, TLS required,
    no plaintext authentication, a passwd-file user whose mail is a maildir in
    `directory`, everything Dovecot writes (sockets, state, log) in `directory` too."""
    (directory / "users").write_text(f"{USERNAME}:{{PLAIN}}{PASSWORD}::::::\n")
    if os.geteuid() == 0:
        # Root starts the master; its helpers run as the users the Debian package creates.
        # Dovecot refuses to access mail as root (uid 0), so the mail belongs to nobody.
        privileges = "default_internal_user = dovecot\ndefault_login_user = dovenull\n"
        chroot = ""
        mail_owner = pwd.getpwnam("nobody")
    else:
        # An ordinary user can run Dovecot too, as long as nothing needs to change user.
        mail_owner = pwd.getpwuid(os.geteuid())
        group = grp.getgrgid(mail_owner.pw_gid).gr_name
        privileges = (
            f"default_internal_user = {mail_owner.pw_name}\n"
            f"default_internal_group = {group}\n"
            f"default_login_user = {mail_owner.pw_name}\n"
        )
        # chroot() needs root: the login and anvil processes, chrooted by default, are not.
        chroot = "  chroot =\n"
    home = directory / "home"
    home.mkdir()
    os.chown(home, mail_owner.pw_uid, mail_owner.pw_gid)
    config = f"""\
# Written by tests/mail/imap_server.py for one test session.
protocols = imap
listen = 127.0.0.1
base_dir = {directory}/run
state_dir = {directory}/state
log_path = {directory}/dovecot.log
info_log_path = {directory}/dovecot.log
{privileges}
ssl = required
ssl_cert = <{certificate}
ssl_key = <{key}
disable_plaintext_auth = yes
auth_mechanisms = plain

passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {directory}/users
}}
userdb {{
  driver = static
  args = uid={mail_owner.pw_uid} gid={mail_owner.pw_gid} home={home}/%u
}}
first_valid_uid = {min(mail_owner.pw_uid, 500)}
first_valid_gid = {min(mail_owner.pw_gid, 500)}
mail_location = maildir:~/Maildir

service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
{chroot}}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
# The tests' wrong passwords are answered at once: no delay, no growing penalty.
auth_failure_delay = 0
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
{chroot}}}
"""
    path = directory / "dovecot.conf"
    path.write_text(config)
    return path


def _wait_until_serving(
    process: subprocess.Popen[bytes], port: int, ca_file: Path, log_file: Path
) -> None:
    context = ssl.create_default_context(cafile=str(ca_file))
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with (
                socket.create_connection(("127.0.0.1", port), timeout=2) as connection,
                context.wrap_socket(connection, server_hostname="127.0.0.1") as tls,
            ):
                tls.settimeout(5)
                if tls.recv(100).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.1)
    output = "\n".join(
        path.read_text(errors="replace")
        for path in (log_file.with_name("dovecot.out"), log_file)
        if path.exists()
    )
    raise RuntimeError(f"Dovecot did not start on port {port}:\n{output}")


@contextmanager
def running_imap_server() -> Iterator[ImapServer]:
    """Dovecot on a free port until the block ends; the test is skipped without Dovecot."""
    if not DOVECOT.exists():
        pytest.skip("Dovecot is not installed: run `make mailserver` (Debian's dovecot-imapd).")
    directory = Path(tempfile.mkdtemp(prefix="pharos-dovecot-"))
    # Dovecot's own helpers (the dovecot and dovenull users) read the users file and reach
    # their sockets under this directory; mkdtemp makes it private to its owner.
    directory.chmod(0o755)
    try:
        ca_file, certificate, key = make_certificates(directory)
        port = free_port()
        config = write_config(directory, port, certificate, key)
        log_file = directory / "dovecot.log"
        with (directory / "dovecot.out").open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
                [str(DOVECOT), "-F", "-c", str(config)], stdout=output, stderr=output
            )
        try:
            _wait_until_serving(process, port, ca_file, log_file)
            yield ImapServer("127.0.0.1", port, str(ca_file), USERNAME, PASSWORD, log_file)
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
