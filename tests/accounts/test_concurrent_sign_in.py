"""Two first sign-ins of the same trader at the same moment both succeed."""

from __future__ import annotations

import threading
import time

import jwt
import pytest
from django.db import connection

from pharos.accounts import services
from pharos.accounts.models import Customer


def _token(jti: str) -> str:
    now = int(time.time())
    claims = {"sub": "30000001", "email": "race@example.com", "iat": now, "exp": now + 60,
              "jti": jti, "aud": "pharos"}  # fmt: skip
    return jwt.encode(claims, "race-secret-for-a-test-0123456789abcdef", algorithm="HS256")


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_sign_ins_make_one_customer(settings) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("in-memory SQLite test databases are not shared between threads")
    settings.EXCHANGE_SSO_SECRET = "race-secret-for-a-test-0123456789abcdef"
    results: list[object] = []

    def sign_in(jti: str) -> None:
        try:
            results.append(services.sign_in_from_exchange(_token(jti)).pk)
        except Exception as error:  # the test reports any failure
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_in, args=(f"race-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({*results}) == 1, results
    assert Customer.objects.filter(uid="30000001").count() == 1
