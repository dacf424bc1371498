from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("exchange/", views.exchange_sign_in, name="exchange-sign-in"),
    path("two-factor/", views.two_factor_setup, name="two-factor-setup"),
]
