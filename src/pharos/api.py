"""The JSON API: one Ninja instance, documented at /api/docs (OpenAPI at /api/openapi.json)."""

from ninja import NinjaAPI

from pharos.accounts.api import router as accounts_router
from pharos.conversations.api import console_router, customer_router
from pharos.helpcenter.api import router as helpcenter_router

api = NinjaAPI(
    title="Pharos API",
    version="1",
    description="Help center search, accounts, customers' requests and the agent console.",
    urls_namespace="api",
)
api.add_router("/v1/helpcenter/", helpcenter_router)
api.add_router("/v1/accounts/", accounts_router)
api.add_router("/v1/requests", customer_router)
api.add_router("/v1/console", console_router)
