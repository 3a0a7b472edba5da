"""The search form: words, a city edition, a date range, an order. Read from GET, no JavaScript."""

from django import forms

from gazette.cities.models import City


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", required=False, max_length=200)
    city = forms.ModelChoiceField(
        label="City",
        queryset=City.objects.visible(),
        to_field_name="slug",
        required=False,
        empty_label="All cities",
    )
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    order = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[("relevance", "Best match"), ("newest", "Newest first")],
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data
