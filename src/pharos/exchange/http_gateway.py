"""The gateway to a real exchange over HTTP, following docs/exchange-gateway.md."""

from __future__ import annotations

import json
import time
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

import httpx

from .contract import (
    KEY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    ContractError,
    from_json,
    signature,
)
from .gateway import Account, AccountNotFound, Deposit, ExchangeUnavailable, Order, Withdrawal

T = TypeVar("T")


class HttpExchangeGateway:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        secret: str,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.base_path = urlsplit(self.base_url).path
        self.api_key = api_key
        self.secret = secret
        self.client = httpx.Client(timeout=timeout, transport=transport)

    def _request(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        body = json.dumps(payload, separators=(",", ":")).encode() if payload is not None else b""
        timestamp = str(int(time.time()))
        headers = {
            KEY_HEADER: self.api_key,
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(
                self.secret, timestamp, method, self.base_path + path, body
            ),
            "Accept": "application/json",
        }
        if payload is not None:
            headers["Content-Type"] = "application/json"
        try:
            response = self.client.request(
                method, self.base_url + path, content=body, headers=headers
            )
        except httpx.HTTPError as error:
            raise ExchangeUnavailable(f"exchange unreachable: {error}") from error
        if response.status_code == 404:
            # Only the contract's own answer means "no such account"; any other 404 (a wrong
            # base URL, a proxy) must not tell support that every account is missing.
            if _error_code(response) == "account_not_found":
                raise AccountNotFound(path)
            raise ExchangeUnavailable("exchange answered HTTP 404 without account_not_found")
        if response.status_code != 200:
            raise ExchangeUnavailable(f"exchange answered HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError as error:
            raise ExchangeUnavailable("exchange answered with invalid JSON") from error

    def _one(self, cls: type[T], data: Any) -> T:
        try:
            return from_json(cls, data)
        except ContractError as error:
            raise ExchangeUnavailable(f"exchange broke the contract: {error}") from error

    def _many(self, cls: type[T], data: Any) -> list[T]:
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ExchangeUnavailable("exchange broke the contract: 'items' must be a list")
        return [self._one(cls, item) for item in items]

    def get_account(self, uid: str) -> Account:
        return self._checked(
            uid, self._one(Account, self._request("GET", f"/v1/accounts/{_uid(uid)}"))
        )

    def _checked(self, uid: str, account: Account) -> Account:
        # A misrouted answer must never show support another trader's account.
        if account.uid != uid:
            raise ExchangeUnavailable("exchange answered about a different account")
        return account

    def list_deposits(self, uid: str, limit: int = 20) -> list[Deposit]:
        return self._many(Deposit, self._request("GET", _listing(uid, "deposits", limit)))

    def list_withdrawals(self, uid: str, limit: int = 20) -> list[Withdrawal]:
        return self._many(Withdrawal, self._request("GET", _listing(uid, "withdrawals", limit)))

    def list_orders(self, uid: str, limit: int = 20) -> list[Order]:
        return self._many(Order, self._request("GET", _listing(uid, "orders", limit)))

    def freeze_account(self, uid: str, reason: str, requested_by: str) -> Account:
        payload = {"reason": reason, "requested_by": requested_by}
        return self._one(
            Account, self._request("POST", f"/v1/accounts/{_uid(uid)}/freeze", payload)
        )

    def unlock_account(self, uid: str, reason: str, requested_by: str) -> Account:
        payload = {"reason": reason, "requested_by": requested_by}
        return self._one(
            Account, self._request("POST", f"/v1/accounts/{_uid(uid)}/unlock", payload)
        )


def _error_code(response: httpx.Response) -> Any:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("error") if isinstance(body, dict) else None


def _uid(uid: str) -> str:
    # UIDs are ASCII letters and digits; refusing anything else keeps them from changing the
    # path (and from being percent-encoded, which would break the signature).
    if not (uid.isascii() and uid.isalnum()):
        raise AccountNotFound(uid)
    return uid


def _listing(uid: str, kind: str, limit: int) -> str:
    return f"/v1/accounts/{_uid(uid)}/{kind}?" + urlencode({"limit": max(1, min(limit, 100))})
