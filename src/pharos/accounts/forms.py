from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import ErrorDict
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

    def refuse(self, message: str) -> None:
        """Fail with `message` without validating: `add_error` on an unchecked form would
        check the password, and the answer would then tell a right one from a wrong one."""
        self.cleaned_data = {}
        self._errors = ErrorDict()
        self.add_error(None, message)
