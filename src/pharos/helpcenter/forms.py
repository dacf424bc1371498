from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_VOTE_COMMENT_CHARACTERS


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes"
    )
    comment = forms.CharField(
        required=False,
        max_length=MAX_VOTE_COMMENT_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Anything we should add or fix? (optional)"),
    )
