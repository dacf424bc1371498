from django.urls import path

from . import views

app_name = "livechat"

urlpatterns = [
    path("", views.panel, name="panel"),
    path("start/", views.start, name="start"),
    path("ask/", views.ask, name="ask"),
    path("ask/feedback/", views.guest_feedback, name="ask-feedback"),
    path("<str:reference>/files/", views.send_files, name="files"),
]
