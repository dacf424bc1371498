from django.urls import path

from . import console_views as views

app_name = "console"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("c/<str:reference>/", views.conversation_view, name="conversation"),
    path("c/<str:reference>/state/", views.conversation_state, name="state"),
    path("c/<str:reference>/canned/<int:reply_id>/", views.canned_reply, name="canned"),
    path("c/<str:reference>/<slug:action>/", views.act, name="act"),
]
