"""WebSocket routes (the HTTP ones are in pharos/urls.py)."""

from __future__ import annotations

from django.urls import path

from .consumers import ChatConsumer, ConsoleConsumer

websocket_urlpatterns = [
    path("ws/chat/<str:reference>/", ChatConsumer.as_asgi()),
    path("ws/console/", ConsoleConsumer.as_asgi()),
]
