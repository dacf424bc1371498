"""ASGI entry point, served by uvicorn (`pharos serve`).

HTTP and the chat's WebSockets (Channels) share the process. Django's pages and API are
synchronous views. Served through Django's own ASGI handler,
every request would run in a fresh thread with a fresh database connection; run through
a2wsgi's WSGI bridge, they run on a pool of long-lived threads that keep their
connections (CONN_MAX_AGE), which is about twice as fast per request
(docs/decisions/0001-serve-http-through-wsgi-bridge.md).
"""

import os

from a2wsgi import WSGIMiddleware
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pharos.settings")

# Threads that run requests; each keeps its own database connection. Few per process:
# threads share the interpreter lock, and `pharos serve` runs several processes instead
# (pharos.core.server; measured in docs/decisions/0002-sqlite-writer-queue.md).
REQUEST_THREADS = int(os.environ.get("PHAROS_REQUEST_THREADS", "3"))

# Django's handler returns an iterable HttpResponse; the stubs type it more narrowly.
http_application = WSGIMiddleware(get_wsgi_application(), workers=REQUEST_THREADS)  # type: ignore[arg-type]

# After Django is set up: the chat's consumers import models.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from pharos.livechat.sockets import websocket_urlpatterns  # noqa: E402

# The chat's sockets: signed in with the site's session, from pages of an allowed host.
application = ProtocolTypeRouter(
    {
        "http": http_application,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
