"""The reader's comment form and its defences against machines.

* ``Control code``: django-simple-captcha's picture (self-hosted, its own font), with a
  spoken version in the site's language when its voice is installed (``flite`` for English,
  ``espeak-ng`` for Russian: ``control_code.can_speak``) and a "new code" button that works without
  JavaScript. The challenge is a signed token (``control_code``): showing the form writes
  nothing to the database, and each code is good for one answer. For tests only,
  ``GAZETTE_TEST_CAPTCHA_ANSWER`` is accepted as an answer (production settings refuse to start
  with it).
* ``stamp``: a signed token carrying the article, the time the form was shown and a one-time
  nonce. Sent too fast (a script) or too late (an abandoned tab, a harvested form) is refused;
  the nonce becomes the comment's unique ``form_token``, so a replayed post is never stored twice.
* ``website``: a honeypot hidden from people (and from screen readers); machines fill it in.

Every error re-shows the form with the reader's text (see ``views.comment_form``).
"""

import secrets
import time

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import control_code
from .choices import ReportReason
from .services import CommentRefused, reply_parent

STAMP_SALT = "gazette.comments.form-stamp"
MAX_LENGTH = getattr(settings, "GAZETTE_COMMENT_MAX_LENGTH", 5000)


def make_stamp(article_pk: int, *, retry: bool = False) -> str:
    """A fresh signed stamp; ``retry`` marks a form shown again after an error (no speed check)."""
    return signing.dumps(
        {"a": article_pk, "t": time.time(), "n": secrets.token_urlsafe(24), "r": retry}, salt=STAMP_SALT
    )


class ControlCodeWidget(CaptchaTextInput):
    """django-simple-captcha's widget, with a signed challenge instead of a CaptchaStore row."""

    template_name = "comments/widgets/control_code.html"

    def fetch_captcha_store(self, name, value, attrs=None, generator=None):
        self._key = control_code.new_challenge()
        self._value = [self._key, ""]
        self.id_ = self.build_attrs(attrs).get("id", None)

    def image_url(self):
        return reverse("control-code-image", kwargs={"token": self._key})

    def audio_url(self):
        return reverse("control-code-audio", kwargs={"token": self._key}) if control_code.can_speak() else None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["image_2x"] = context["image"].rstrip("/") + "@2/"
        return context


class ControlCodeField(CaptchaField):
    """A CAPTCHA answer; also accepts the fixed test answer when (and only when) it is configured."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", ControlCodeWidget(attrs={"inputmode": "text", "maxlength": 20}))
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("The control code did not match. Here is a new one: type the characters you see."),
                "required": _("Please type the control code."),
                "incomplete": _("Please type the control code."),
            },
        )
        super().__init__(**kwargs)

    def clean(self, value):
        token, typed = (list(value or []) + ["", ""])[:2]
        typed = (typed or "").strip()
        answer = getattr(settings, "GAZETTE_TEST_CAPTCHA_ANSWER", "")
        if answer and typed.lower() == answer.lower():
            return value
        if not typed:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if not control_code.check_answer(token or "", typed):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


def _no_replacement_chars(value: str) -> None:
    if "\ufffd" in value:
        raise forms.ValidationError(
            _(
                "Part of your text arrived in an encoding we cannot read (shown as �). "
                "Please retype or paste it again as ordinary text."
            ),
            code="encoding",
        )


class CommentForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        error_messages={"required": _("Please give your name.")},
        validators=[_no_replacement_chars],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    location = forms.CharField(
        label=_("Location"),
        max_length=100,
        required=False,
        validators=[_no_replacement_chars],
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        help_text=_("Optional and never shown. We use it only to tell you when your comment is published."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = forms.CharField(
        label=_("Comment"),
        max_length=MAX_LENGTH,
        validators=[_no_replacement_chars],
        error_messages={
            "required": _("Please write your comment."),
            "max_length": _(
                "Your comment is too long: %(show_value)d characters, the limit is %(limit_value)d. Please shorten it."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 6, "cols": 40}),
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)
    reply_to = forms.CharField(widget=forms.HiddenInput, required=False)
    captcha = ControlCodeField(label=_("Control code"), help_text=_("Type the code shown in the picture."))

    def __init__(self, *args, article_pk: int, **kwargs):
        self.article_pk = article_pk
        self.form_token = ""
        self.parent = None
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_body(self):
        return self.cleaned_data["body"].replace("\r\n", "\n").replace("\r", "\n")

    def clean_reply_to(self):
        """The published comment of this article being answered (``self.parent``), if any."""
        try:
            self.parent = reply_parent(self.article_pk, self.cleaned_data.get("reply_to"))
        except CommentRefused as err:
            raise forms.ValidationError(str(err), code="reply_to") from err
        return str(self.parent.pk) if self.parent else ""

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Your comment could not be accepted."), code="honeypot")
        return ""

    def clean_stamp(self):
        max_age = getattr(settings, "GAZETTE_COMMENT_FORM_MAX_AGE", 2 * 3600)
        min_seconds = getattr(settings, "GAZETTE_COMMENT_MIN_SECONDS", 3)
        value = self.cleaned_data.get("stamp") or ""
        try:
            data = signing.loads(value, salt=STAMP_SALT, max_age=max_age)
        except signing.SignatureExpired as err:
            raise forms.ValidationError(
                _("This form was open for too long. Your text is kept below: type the new control code and send it."),
                code="expired",
            ) from err
        except signing.BadSignature as err:
            raise forms.ValidationError(
                _("This form could not be checked. Your text is kept below: type the new control code and send it."),
                code="bad_stamp",
            ) from err
        if not isinstance(data, dict) or data.get("a") != self.article_pk:
            raise forms.ValidationError(_("This form belongs to another article."), code="wrong_article")
        if not data.get("r") and time.time() - float(data.get("t", 0)) < min_seconds:
            raise forms.ValidationError(
                _("That was very quick. Please check your comment and send it again."), code="too_fast"
            )
        self.form_token = str(data.get("n", ""))[:64]
        return value


class ReportForm(forms.Form):
    """A reader's report of a published comment: why, and optionally a few words."""

    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=[("", _("Choose a reason")), *ReportReason.choices],
        error_messages={"required": _("Please choose a reason."), "invalid_choice": _("Please choose a reason.")},
    )
    text = forms.CharField(
        label=_("Anything the moderator should know (optional)"),
        max_length=500,
        required=False,
        validators=[_no_replacement_chars],
        error_messages={
            "max_length": _("Please keep it under %(limit_value)d characters (this is %(show_value)d)."),
        },
        widget=forms.Textarea(attrs={"rows": 3, "cols": 40}),
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_text(self):
        return self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n").strip()

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Your report could not be accepted."), code="honeypot")
        return ""
