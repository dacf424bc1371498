"""The JSON shape of the exchange gateway (docs/exchange-gateway.md), shared by the HTTP
client and the demo exchange's HTTP server so the two cannot disagree. Decimals travel
as strings, times as ISO 8601 with an offset."""

from __future__ import annotations

import hashlib
import hmac
import types
import typing
from dataclasses import fields, is_dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

from django.utils.dateparse import parse_datetime

T = TypeVar("T")

SIGNATURE_HEADER = "X-Pharos-Signature"
TIMESTAMP_HEADER = "X-Pharos-Timestamp"
KEY_HEADER = "X-Pharos-Key"
MAX_CLOCK_SKEW_SECONDS = 30


class ContractError(ValueError):
    """The other side sent JSON that does not follow the contract."""


def signature(secret: str, timestamp: str, method: str, path: str, body: bytes) -> str:
    """HMAC-SHA256 over timestamp, method, path with query, and body, one per line."""
    message = b"\n".join([timestamp.encode(), method.upper().encode(), path.encode(), body])
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def to_json(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {field.name: to_json(getattr(value, field.name)) for field in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        # Always plain notation: str() would write 0.00000001 as "1E-8".
        return format(value.normalize() if value == value.to_integral() else value, "f")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    return value


def from_json(cls: type[T], data: Any) -> T:
    if not isinstance(data, dict):
        raise ContractError(f"{cls.__name__} must be a JSON object")
    hints = typing.get_type_hints(cls)
    values = {}
    for field in fields(cls):  # type: ignore[arg-type]
        if field.name not in data:
            raise ContractError(f"{cls.__name__}.{field.name} is missing")
        values[field.name] = _convert(
            hints[field.name], data[field.name], f"{cls.__name__}.{field.name}"
        )
    return cls(**values)


def _convert(hint: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    arguments = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in arguments:
            return None
        hint = next(argument for argument in arguments if argument is not type(None))
        origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        if not isinstance(value, list):
            raise ContractError(f"{where} must be a list")
        return tuple(_convert(arguments[0], item, where) for item in value)
    try:
        if hint is Decimal:
            if isinstance(value, bool) or not isinstance(value, str | int):
                raise ContractError(f"{where} must be a decimal string")
            number = Decimal(str(value))
            if not number.is_finite():
                raise ContractError(f"{where} must be a finite decimal")
            return number
        if hint is datetime:
            parsed = parse_datetime(str(value))
            if parsed is None or parsed.tzinfo is None:
                raise ContractError(f"{where} must be an ISO 8601 time with an offset")
            return parsed
        if isinstance(hint, type) and issubclass(hint, Enum):
            return hint(value)
        if is_dataclass(hint):
            return from_json(hint, value)  # type: ignore[arg-type]
        if hint in (int, str):
            if not isinstance(value, hint) or isinstance(value, bool):
                raise ContractError(f"{where} must be a {hint.__name__}")
            return value
    except (InvalidOperation, ValueError) as error:
        if isinstance(error, ContractError):
            raise
        raise ContractError(f"{where}: {error}") from error
    return value
