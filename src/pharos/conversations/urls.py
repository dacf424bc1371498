from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("", views.my_requests, name="mine"),
    path("new/", views.new_request, name="new"),
    path("<str:reference>/", views.request_detail, name="detail"),
    path("<str:reference>/reply/", views.reply, name="reply"),
    path("<str:reference>/close/", views.close, name="close"),
    path("<str:reference>/rate/", views.rate, name="rate"),
    path("<str:reference>/transcript/", views.transcript, name="transcript"),
]
