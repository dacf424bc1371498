"""The unlock appeal form: every field the security team needs, the documents by kind.
Completeness is checked twice: in the browser (required fields) and by the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pharos.conversations.forms import MultipleFileField

from .appeals import MAX_FILES_PER_KIND
from .models import BlockedAction


class UnlockAppealForm(forms.Form):
    uid = forms.CharField(label=_("UID"), max_length=32)
    registered_contact = forms.CharField(
        label=_("Registered email or phone number"), max_length=254
    )
    kyc_name = forms.CharField(label=_("Full name, as on your verified ID"), max_length=200)
    id_number = forms.CharField(label=_("ID document number"), max_length=64)
    locked_on = forms.DateField(
        label=_("When was it locked?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    lock_reason = forms.CharField(
        label=_("Why was it locked, as far as you know?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    blocked = forms.MultipleChoiceField(
        label=_("What is blocked?"),
        choices=BlockedAction.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    transactions = forms.CharField(
        label=_("Related transactions (TxID, withdrawal or order numbers)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    details = forms.CharField(
        label=_("Anything else we should know"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    error_screenshot = MultipleFileField(label=_("Screenshots of the error"), required=False)
    id_front = MultipleFileField(label=_("ID document, front"))
    id_back = MultipleFileField(label=_("ID document, back"))
    selfie = MultipleFileField(
        label=_("A selfie holding your ID and a note"),
        help_text=_(
            'The note reads "for account unlock only" and today\'s date, in your handwriting.'
        ),
    )
    other_proof = MultipleFileField(label=_("Other proof (optional)"), required=False)

    DOCUMENT_FIELDS = ("error_screenshot", "id_front", "id_back", "selfie", "other_proof")
    REQUIRED_DOCUMENTS = ("id_front", "id_back", "selfie")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.REQUIRED_DOCUMENTS:
            self.fields[name].widget.attrs["required"] = True

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        # A several-files field lets an empty input through; these three must have one.
        for name in self.REQUIRED_DOCUMENTS:
            if name not in self.errors and not cleaned.get(name):
                self.add_error(name, self.fields[name].error_messages["required"])
        for name in self.DOCUMENT_FIELDS:
            if len(cleaned.get(name) or []) > MAX_FILES_PER_KIND:
                self.add_error(
                    name,
                    _("Attach at most %(count)d files here.") % {"count": MAX_FILES_PER_KIND},
                )
        return cleaned
