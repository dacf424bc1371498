from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Topic
from .services import MAX_BODY_CHARACTERS, MAX_SUBJECT_CHARACTERS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked later by attachments.clean_upload."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,application/pdf"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class LocalizedTopicField(forms.ModelChoiceField):
    """Topics named in the reader's language (set per form, at render time)."""

    chinese = False

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_zh_hans if self.chinese else obj.name_en)


class TicketForm(forms.Form):
    topic = LocalizedTopicField(
        queryset=Topic.objects.select_related("default_team"),
        label=_("What is it about?"),
        empty_label=None,
    )
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT_CHARACTERS)
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=MAX_BODY_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What happened, when, and what you expected. Never include passwords or codes."
        ),
    )
    related_ids = forms.CharField(
        label=_("Order or transaction IDs (optional)"),
        required=False,
        max_length=1000,
        help_text=_("Separate several with spaces or commas."),
    )
    attachments = MultipleFileField(
        label=_("Screenshots or documents (optional)"),
        required=False,
        help_text=_("PNG, JPEG, WebP or PDF; up to 5 files of 10 MB each."),
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_key"] = uuid.uuid4().hex
        topic_field = self.fields["topic"]
        assert isinstance(topic_field, LocalizedTopicField)
        topic_field.chinese = translation.get_language() == "zh-hans"

    def clean_related_ids(self) -> list[str]:
        return [value for value in re.split(r"[\s,;]+", self.cleaned_data["related_ids"]) if value]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=MAX_BODY_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(label=_("Add files (optional)"), required=False)
    client_message_id = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["client_message_id"] = uuid.uuid4().hex


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was our service?"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
