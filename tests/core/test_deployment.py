"""What a production deployment gets by default, and the operator's endpoints."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client, RequestFactory

from pharos.core.ratelimit import client_address


def _settings_in_a_fresh_process(**environment: str) -> str:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='pharos.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.DEMO_MODE, s.DEMO_EXCHANGE_API_ENABLED, s.SESSION_COOKIE_SECURE)"
    )
    env = {**os.environ, **environment}
    env.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_a_local_install_is_a_demo_and_a_deployment_is_not() -> None:
    assert _settings_in_a_fresh_process() == "True True False"
    assert _settings_in_a_fresh_process(PHAROS_HTTPS="true") == "False False True"


def test_the_published_demo_exchange_secret_is_refused_behind_https() -> None:
    with pytest.raises(subprocess.CalledProcessError) as refused:
        _settings_in_a_fresh_process(PHAROS_HTTPS="true", PHAROS_DEMO_EXCHANGE_API="true")
    assert "PHAROS_DEMO_EXCHANGE_API_SECRET" in refused.value.stderr


@pytest.mark.django_db
def test_health_check_answers_get_and_head() -> None:
    assert Client().get("/healthz").json() == {"status": "ok"}
    assert Client().head("/healthz").status_code == 200


@pytest.mark.django_db
def test_the_admin_sign_in_is_rate_limited(settings) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": (2, 300)}
    statuses = [
        Client().post("/admin/login/", {"username": "x@y.z", "password": "nope"}).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.4", "198.51.100.4"),
        ("not-an-address", "not-an-address"),
    ],
)
def test_rate_limits_key_ipv6_clients_by_their_network(address: str, key: str) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    assert client_address(request) == key
