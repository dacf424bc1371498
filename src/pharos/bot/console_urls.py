from django.urls import path

from . import console_views as views

app_name = "bot-console"

urlpatterns = [
    path("", views.learning, name="learning"),
    path("attach/", views.attach, name="attach"),
    path("dismiss/", views.dismiss, name="dismiss"),
]
