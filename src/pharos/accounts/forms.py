from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Email or UID"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("The email/UID or password is not right. Please try again."),
        "inactive": _("This account is disabled."),
    }
