from django.urls import path

from . import console_views as views

app_name = "livechat-console"

urlpatterns = [
    path("", views.live_chats, name="chats"),
    path("presence/", views.set_presence, name="presence"),
    path("<str:reference>/accept/", views.accept, name="accept"),
    path("<str:reference>/end/", views.end, name="end"),
    path("<str:reference>/files/", views.send_files, name="files"),
]
