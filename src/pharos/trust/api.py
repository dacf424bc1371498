"""The official-channel verifier over JSON, for anyone (rate limited per address):
GET /api/v1/trust/official (the registry), GET /api/v1/trust/verify?value=… (a verdict),
POST /api/v1/trust/reports (report an impostor)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer
from ninja.errors import HttpError

from pharos.core.ratelimit import allow_request

from . import services
from .models import OfficialChannel, VerificationCheck

router = Router(tags=["trust"])


class ChannelOut(Schema):
    kind: str
    kind_label: str
    value: str
    description_en: str
    description_zh_hans: str

    @staticmethod
    def of(channel: OfficialChannel) -> ChannelOut:
        return ChannelOut(
            kind=channel.kind,
            kind_label=str(channel.get_kind_display()),
            value=channel.value,
            description_en=channel.description_en,
            description_zh_hans=channel.description_zh_hans,
        )


class VerifyIn(Schema):
    value: str = Field(min_length=1, max_length=services.MAX_VALUE)


class VerdictOut(Schema):
    value: str
    verdict: str = Field(description="official, not_official or lookalike")
    kind: str = Field(description="What the value was read as: domain, email, phone, …")
    normalised: str
    channel: ChannelOut | None = Field(
        description="official: the channel matched; lookalike: the one imitated"
    )
    reasons: list[str]


class ReportIn(Schema):
    value: str = Field(min_length=1, max_length=services.MAX_VALUE)
    where_seen: str = Field("", max_length=200)
    details: str = Field("", max_length=services.MAX_REPORT_DETAILS)


class ReportOut(Schema):
    value: str
    times_reported: int


class ErrorOut(Schema):
    detail: str


@router.get("/official", response=list[ChannelOut], url_name="trust-official")
def official(request: HttpRequest) -> list[ChannelOut]:
    """Every official channel: websites, email addresses, phone numbers, social accounts
    and support agent IDs. Anything else claiming to be us is not."""
    return [ChannelOut.of(channel) for channel in services.official_channels()]


@router.get("/verify", response={200: VerdictOut, 429: ErrorOut}, url_name="trust-verify")
def verify(request: HttpRequest, parameters: Query[VerifyIn]) -> VerdictOut:
    """Is this website, address, number, account or agent ID really ours? Look-alikes
    (swapped or added letters, homoglyphs, extra words, other domains) are named."""
    if not allow_request("trust_verify", request):
        raise HttpError(429, _("Too many checks; try again in a minute."))
    check = services.verify(
        parameters.value,
        source=VerificationCheck.Source.API,
        user=request.user,  # type: ignore[arg-type]
    )
    return VerdictOut(
        value=check.value,
        verdict=check.verdict,
        kind=check.kind,
        normalised=check.normalised,
        channel=ChannelOut.of(check.channel) if check.channel else None,
        reasons=list(check.reasons),
    )


@router.post(
    "/reports",
    response={201: ReportOut, 400: ErrorOut, 429: ErrorOut},
    url_name="trust-report",
)
def report(request: HttpRequest, payload: ReportIn) -> Answer:
    """Report an impostor (an account, address, number or website pretending to be us)."""
    if not allow_request("trust_report", request):
        raise HttpError(429, _("Too many reports from your address; try again later."))
    try:
        filed = services.report_impostor(
            payload.value,
            where_seen=payload.where_seen,
            details=payload.details,
            reporter=request.user,  # type: ignore[arg-type]
        )
    except services.NothingToReport as refusal:
        raise HttpError(400, str(refusal)) from refusal
    return Answer(201, ReportOut(value=filed.value, times_reported=filed.times_reported))
