"""The search form: words, a city edition, a date range, an order. Read from GET, no JavaScript."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from gazette.articles.models import Contributor
from gazette.cities.models import City

# Dates a reader can mean: the filters turn a day into local midnight and the next day's, which
# Python cannot do at the very ends of its calendar.
EARLIEST_DAY = date(1000, 1, 1)
LATEST_DAY = date(9998, 12, 31)


def readable_params(params) -> dict[str, str]:
    """The last value of each GET parameter, with NUL characters and lone surrogates removed.

    Neither can be stored or matched (PostgreSQL refuses NUL in text, nothing encodes a lone
    surrogate), and neither can be part of a word a reader meant, so they are dropped before
    the form sees them rather than turned into an error.
    """
    cleaned = {}
    for key in params:
        value = params.get(key, "")
        if isinstance(value, str):
            value = value.replace("\x00", "").encode("utf-8", "ignore").decode("utf-8")
        cleaned[key] = value
    return cleaned


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, max_length=200)
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.visible(),
        to_field_name="slug",
        required=False,
        empty_label=_("All cities"),
    )
    contributor = forms.ModelChoiceField(
        label=_("Contributor"),
        queryset=Contributor.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Anyone"),
    )
    # Set by a topic's link (an article's, or an old archive's redirect), not chosen in the form.
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Tag.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("There is no such topic in the archive.")},
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("relevance", _("Best match")), ("newest", _("Newest first"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A city is offered by the name readers see in the site's language, as the masthead does.
        self.fields["city"].label_from_instance = lambda city: city.display_name

    def _day_in_range(self, name: str) -> date | None:
        day = self.cleaned_data.get(name)
        if day and not EARLIEST_DAY <= day <= LATEST_DAY:
            raise forms.ValidationError(
                _("Enter a date between %(earliest)s and %(latest)s."),
                code="out_of_range",
                params={"earliest": EARLIEST_DAY.isoformat(), "latest": LATEST_DAY.isoformat()},
            )
        return day

    def clean_date_from(self):
        return self._day_in_range("date_from")

    def clean_date_to(self):
        return self._day_in_range("date_to")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
