"""Stored exchange-rate tables, fetch attempts and the editor's widget settings.

Natural keys are unique constraints: one table per in-force date, one line per currency in a
table, so re-running a fetch or a backfill can never duplicate anything.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from gazette.core.dates import long_date, timestamp
from gazette.core.messages import Message

DEFAULT_WIDGET_CURRENCIES = "USD, EUR, CNY"


class RateTable(models.Model):
    """One official daily table as the bank published it.

    ``in_force_date`` is ``ValCurs@Date`` (the day the rates apply from: often tomorrow; a
    Saturday table also covers Sunday and Monday). ``requested_date`` is what we asked for,
    ``fetched_at`` when we got it.
    """

    in_force_date = models.DateField(unique=True, help_text=_("The date the bank set these rates for."))
    requested_date = models.DateField(null=True, blank=True, help_text=_("The date asked for when fetching."))
    fetched_at = models.DateTimeField(help_text=_("When the table was fetched (UTC)."))
    source = models.CharField(max_length=200, help_text=_("Where it came from: a URL or a file name."))

    class Meta:
        ordering = ["-in_force_date"]
        get_latest_by = "in_force_date"
        verbose_name = _("exchange-rate table")

    def __str__(self):
        return _("Rates on %(date)s") % {"date": long_date(self.in_force_date)}


class Rate(models.Model):
    """One currency's line: ``value`` roubles for ``nominal`` units, as published."""

    table = models.ForeignKey(RateTable, on_delete=models.CASCADE, related_name="rates")
    currency_id = models.CharField(max_length=8, help_text=_("The bank's currency ID, e.g. R01235."))
    num_code = models.CharField(max_length=3)
    char_code = models.CharField(max_length=3, db_index=True)
    nominal = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=18, decimal_places=4)
    unit_rate = models.DecimalField(max_digits=24, decimal_places=10, help_text=_("Roubles for one unit."))
    vunit_rate = models.DecimalField(
        max_digits=24, decimal_places=12, null=True, blank=True, help_text=_("The bank's VunitRate when given.")
    )

    class Meta:
        ordering = ["char_code"]
        constraints = [
            models.UniqueConstraint(fields=["table", "char_code"], name="rates_rate_unique_code_per_table"),
            models.UniqueConstraint(fields=["table", "currency_id"], name="rates_rate_unique_id_per_table"),
        ]

    def __str__(self):
        return f"{self.nominal} {self.char_code} = {self.value} RUB"


class FetchAttempt(models.Model):
    """Every fetch, good or bad, so the admin can show the last success and the last error."""

    class Status(models.TextChoices):
        STORED = "stored", _("New table stored")
        UNCHANGED = "unchanged", _("Already stored")
        FAILED = "failed", _("Failed")

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    requested_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    in_force_date = models.DateField(null=True, blank=True)
    error = models.TextField(blank=True, help_text=_("What went wrong, in English (for logs and searches)."))
    error_message = models.JSONField(
        null=True,
        blank=True,
        help_text=_("What went wrong as a catalogue message and its values, translated when shown."),
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["status", "-started_at"], name="rates_fetch_status_idx")]

    @property
    def error_text(self) -> str:
        """What went wrong, in the active language. Attempts recorded before messages were
        kept for translation have only their English text, which is shown as it is; so is a
        stored message that no longer fits its text (a placeholder renamed since)."""
        if self.error_message:
            try:
                return str(Message.from_json(self.error_message))
            except (KeyError, TypeError, ValueError, AttributeError):
                return self.error
        return self.error

    def __str__(self):
        return _("%(status)s at %(time)s") % {"status": self.get_status_display(), "time": timestamp(self.started_at)}


def validate_currency_codes(value: str) -> None:
    codes = [c.strip() for c in value.split(",") if c.strip()]
    if not codes:
        raise ValidationError(_("List at least one currency code, e.g. USD, EUR, CNY."))
    bad = [c for c in codes if not re.fullmatch(r"[A-Za-z]{3}", c)]
    if bad:
        raise ValidationError(_("Not three-letter currency codes: %(codes)s"), params={"codes": ", ".join(bad)})


@register_setting(icon="table")
class RatesSettings(BaseSiteSetting):
    """What the sidebar's exchange-rate widget shows."""

    currencies = models.CharField(
        _("currencies"),
        max_length=200,
        default=DEFAULT_WIDGET_CURRENCIES,
        validators=[validate_currency_codes],
        help_text=_("Currency codes shown in the sidebar, in order, comma-separated (e.g. USD, EUR, CNY)."),
    )

    panels = [FieldPanel("currencies")]

    class Meta:
        verbose_name = _("exchange-rate widget")

    def currency_codes(self) -> list[str]:
        codes = []
        for code in (c.strip().upper() for c in self.currencies.split(",")):
            if code and code not in codes:
                codes.append(code)
        return codes or [c.strip() for c in DEFAULT_WIDGET_CURRENCIES.split(",")]
