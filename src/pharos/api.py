"""The JSON API: one Ninja instance, documented at /api/docs (OpenAPI at /api/openapi.json)."""

from ninja import NinjaAPI

from pharos.accounts.api import router as accounts_router
from pharos.helpcenter.api import router as helpcenter_router

api = NinjaAPI(
    title="Pharos API",
    version="1",
    description="Help center search and account endpoints of Pharos.",
    urls_namespace="api",
)
api.add_router("/v1/helpcenter/", helpcenter_router)
api.add_router("/v1/accounts/", accounts_router)
