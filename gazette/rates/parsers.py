"""Parsing the Bank of Russia's XML answers into checked, typed tables.

Every parser takes the *bytes* of an answer (never decoded text: the XML prolog
names the encoding, windows-1251 for the bank, once windows-1252) and either returns a fully
checked result or raises :class:`RateDataError` with a message an editor can act on. Nothing
half-parsed ever leaves this module, so the caller can store a table whole or not at all.

What the checks are for (each learned from a real answer, see ``tests/fixtures/cbr/``):

- the bank's anti-DDoS HTML page and third-party JSON mirrors are not the bank's XML;
- a truncated body is malformed XML, or well-formed but with too few currencies;
- a body re-encoded by someone between the bank and us keeps its windows-1251 prolog, so the
  parser decodes it "successfully" into nonsense names (``пїЅпїЅ``): names must be plausible
  Russian or English text;
- ``Value`` has a decimal comma and is per ``Nominal`` units, and the nominal of a currency
  changes over the years, so comparisons use the per-unit rate;
- ``VunitRate`` (late 2023 on) may use an exponent (``7,21103E-05``); when present it must agree
  with ``Value / Nominal``.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.utils.translation import gettext_noop

from gazette.core.messages import Message, TranslatableError

__all__ = [
    "CurrencyRate",
    "DailyTable",
    "DynamicRecord",
    "RateDataError",
    "CatalogueEntry",
    "parse_catalogue",
    "parse_daily",
    "parse_decimal",
    "parse_dynamic",
]

# Fewer currencies than this is a cut-off table (the 2002 table lists 17, today's over 40).
MIN_CURRENCIES = 10
# Relative disagreement allowed between VunitRate and Value/Nominal (VunitRate drops zeros).
VUNIT_TOLERANCE = Decimal("0.00001")
# Every table since 1999 has these; one without them is cut short or not a daily table.
REQUIRED_CURRENCIES = ("USD", "EUR")

_NAME_RE = re.compile(r"^[A-Za-zА-Яа-яЁё0-9 .,()'’\-]+$")
_CHAR_CODE_RE = re.compile(r"^[A-Z]{3}$")
_NUM_CODE_RE = re.compile(r"^\d{1,3}$")
_ID_RE = re.compile(r"^R\d{5}[A-Z]?$")
_DECIMAL_RE = re.compile(r"^\d+(,\d+)?(E[-+]?\d+)?$", re.IGNORECASE)


class RateDataError(TranslatableError, ValueError):
    """The answer is not a complete, plausible table; nothing from it may be stored.

    Its text is a catalogue message and values (see :mod:`gazette.core.messages`), stored with
    the failed fetch and translated when shown."""


def _refused(where: Message | None, text: str, /, **params) -> RateDataError:
    """A :class:`RateDataError` about the part ``where`` (a currency, a record), or the whole answer."""
    if where is None:
        return RateDataError(text, **params)
    return RateDataError(gettext_noop("%(where)s: %(problem)s"), where=where, problem=Message(text, params))


@dataclass(frozen=True)
class CurrencyRate:
    """One currency's line of a daily table; ``unit_rate`` is roubles for one unit."""

    currency_id: str
    num_code: str
    char_code: str
    nominal: int
    name: str
    value: Decimal
    vunit_rate: Decimal | None

    @property
    def unit_rate(self) -> Decimal:
        return self.value / self.nominal


@dataclass(frozen=True)
class DailyTable:
    """A whole daily table: ``in_force_date`` is ``ValCurs@Date``, the date the rates apply from."""

    in_force_date: date
    rates: tuple[CurrencyRate, ...]

    def by_code(self) -> dict[str, CurrencyRate]:
        return {r.char_code: r for r in self.rates}


@dataclass(frozen=True)
class DynamicRecord:
    """One day of ``XML_dynamic.asp``: only days on which the bank set a rate are listed."""

    in_force_date: date
    currency_id: str
    nominal: int
    value: Decimal

    @property
    def unit_rate(self) -> Decimal:
        return self.value / self.nominal


def parse_decimal(text: str | None, field: str, where: Message | None = None) -> Decimal:
    """``'30,9436'`` or ``'7,21103E-05'`` -> ``Decimal``; anything else is a :class:`RateDataError`
    naming the bank's ``field`` (``Value``) of the part ``where``."""
    raw = (text or "").strip()
    if not _DECIMAL_RE.match(raw):
        raise _refused(
            where,
            gettext_noop("%(field)s %(value)s is not a decimal number with a decimal comma"),
            field=field,
            value=repr(raw),
        )
    try:
        return Decimal(raw.replace(",", "."))
    except InvalidOperation as err:  # pragma: no cover - the pattern already excludes this
        raise _refused(
            where, gettext_noop("%(field)s %(value)s is not a number"), field=field, value=repr(raw)
        ) from err


def _parse_date(text: str | None, field: str) -> date:
    try:
        return datetime.strptime((text or "").strip(), "%d.%m.%Y").date()
    except ValueError as err:
        raise RateDataError(
            gettext_noop("%(field)s %(value)s is not a dd.mm.yyyy date"), field=field, value=repr(text)
        ) from err


def _parse_nominal(text: str | None, where: Message) -> int:
    raw = (text or "").strip()
    if not raw.isdigit() or int(raw) <= 0:
        raise _refused(where, gettext_noop("Nominal %(value)s is not a positive whole number"), value=repr(raw))
    return int(raw)


def _root(content: bytes, expected_tag: str):
    """Parse ``content`` safely, refusing what is plainly not the bank's XML first."""
    if not content or not content.strip():
        raise RateDataError(gettext_noop("the answer is empty"))
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        raise RateDataError(
            gettext_noop("the answer is an HTML page (the bank's anti-DDoS or error page), not the rates XML")
        )
    if head.startswith((b"{", b"[")):
        raise RateDataError(gettext_noop("the answer is JSON (a third-party mirror?), not the bank's rates XML"))
    try:
        root = SafeET.fromstring(content)
    except DefusedXmlException as err:
        raise RateDataError(
            gettext_noop("the answer uses forbidden XML constructs (%(error)s)"), error=err.__class__.__name__
        ) from err
    except SafeET.ParseError as err:
        raise RateDataError(gettext_noop("the answer is truncated or malformed XML (%(error)s)"), error=err) from err
    if root.tag != expected_tag:
        raise RateDataError(
            gettext_noop("the answer's root element is <%(tag)s>, expected <%(expected)s>"),
            tag=root.tag,
            expected=expected_tag,
        )
    return root


def plausible_name(name: str) -> bool:
    """A currency name is Russian or English words; mis-decoded text (``пїЅ``, ``Ð``) is not.

    Mis-decoding UTF-8 as windows-1251 yields letters outside the Russian alphabet (``ї``,
    ``Ѕ``, ``ђ``); windows-1251 read as Latin-1 yields accented Latin letters; the replacement
    character marks bytes lost earlier. None of them occurs in a real name, so a small
    allow-list of characters catches all three.
    """
    if not name or "\ufffd" in name:
        return False
    return bool(_NAME_RE.match(name))


def _text(element, tag: str, where: Message, required: bool = True) -> str | None:
    child = element.find(tag)
    if child is None or child.text is None or not child.text.strip():
        if required:
            raise _refused(where, gettext_noop("<%(tag)s> is missing or empty"), tag=tag)
        return None
    return child.text.strip()


def parse_daily(content: bytes, min_currencies: int = MIN_CURRENCIES) -> DailyTable:
    """Parse an ``XML_daily.asp`` answer; raise :class:`RateDataError` unless all of it is good."""
    root = _root(content, "ValCurs")
    in_force = _parse_date(root.get("Date"), "ValCurs@Date")
    rates: list[CurrencyRate] = []
    seen: set[str] = set()
    damaged: list[str] = []
    for index, valute in enumerate(root.findall("Valute"), start=1):
        currency_id = (valute.get("ID") or "").strip()
        if currency_id:
            where = Message(gettext_noop("currency %(index)d (%(id)s)"), {"index": index, "id": currency_id})
        else:
            where = Message(gettext_noop("currency %(index)d (no ID)"), {"index": index})
        if not _ID_RE.match(currency_id):
            raise _refused(
                where, gettext_noop("ID %(id)s is not a bank currency ID such as R01235"), id=repr(currency_id)
            )
        char_code = _text(valute, "CharCode", where)
        if not _CHAR_CODE_RE.match(char_code):
            raise _refused(where, gettext_noop("CharCode %(code)s is not three capital letters"), code=repr(char_code))
        where = Message("%(code)s (%(id)s)", {"code": char_code, "id": currency_id})
        if char_code in seen:
            raise RateDataError(gettext_noop("%(where)s appears twice in the table"), where=where)
        seen.add(char_code)
        num_code = _text(valute, "NumCode", where)
        if not _NUM_CODE_RE.match(num_code):
            raise _refused(where, gettext_noop("NumCode %(code)s is not a numeric ISO code"), code=repr(num_code))
        nominal = _parse_nominal(_text(valute, "Nominal", where), where)
        name = _text(valute, "Name", where)
        if not plausible_name(name):
            damaged.append(f"{char_code} {name!r}")
        value = parse_decimal(_text(valute, "Value", where), "Value", where)
        if value <= 0:
            raise _refused(where, gettext_noop("Value %(value)s is not positive"), value=value)
        vunit_text = _text(valute, "VunitRate", where, required=False)
        vunit = parse_decimal(vunit_text, "VunitRate", where) if vunit_text is not None else None
        rate = CurrencyRate(currency_id, num_code.zfill(3), char_code, nominal, name, value, vunit)
        if vunit is not None and abs(vunit - rate.unit_rate) > VUNIT_TOLERANCE * rate.unit_rate:
            raise _refused(
                where,
                gettext_noop("VunitRate %(vunit)s disagrees with Value/Nominal %(value)s/%(nominal)s = %(unit)s"),
                vunit=vunit,
                value=value,
                nominal=str(nominal),
                unit=rate.unit_rate,
            )
        rates.append(rate)
    if damaged:
        sample = ", ".join(damaged[:3])
        raise RateDataError(
            gettext_noop(
                "currency names are damaged text (wrongly decoded?): %(count)d of them, e.g. %(sample)s;"
                " refusing the table"
            ),
            count=len(damaged),
            sample=sample,
        )
    if len(rates) < min_currencies:
        raise RateDataError(
            gettext_noop("too few currencies in the table (%(count)d, at least %(minimum)d expected): truncated?"),
            count=len(rates),
            minimum=min_currencies,
        )
    missing = [code for code in REQUIRED_CURRENCIES if code not in seen]
    if missing:
        raise RateDataError(
            gettext_noop("the table has no %(codes)s: truncated or not a daily table?"), codes=", ".join(missing)
        )
    return DailyTable(in_force_date=in_force, rates=tuple(rates))


def parse_dynamic(content: bytes) -> list[DynamicRecord]:
    """Parse an ``XML_dynamic.asp`` answer (one currency over a date range), oldest first."""
    root = _root(content, "ValCurs")
    currency_id = (root.get("ID") or "").strip()
    if not _ID_RE.match(currency_id):
        raise RateDataError(gettext_noop("ValCurs@ID %(id)s is not a bank currency ID"), id=repr(currency_id))
    records = []
    for record in root.findall("Record"):
        when = _parse_date(record.get("Date"), "Record@Date")
        where = Message(gettext_noop("record of %(date)s"), {"date": when})
        if (record.get("Id") or currency_id) != currency_id:
            raise RateDataError(
                gettext_noop("%(where)s is for %(other)s, not %(id)s"),
                where=where,
                other=repr(record.get("Id")),
                id=currency_id,
            )
        nominal = _parse_nominal(_text(record, "Nominal", where), where)
        value = parse_decimal(_text(record, "Value", where), "Value", where)
        records.append(DynamicRecord(when, currency_id, nominal, value))
    return sorted(records, key=lambda r: r.in_force_date)


@dataclass(frozen=True)
class CatalogueEntry:
    """One currency of the bank's catalogue (``XML_val.asp``/``XML_valFull.asp``)."""

    currency_id: str
    name: str
    english_name: str
    nominal: int
    char_code: str


def parse_catalogue(content: bytes) -> dict[str, CatalogueEntry]:
    """Parse the bank's currency catalogue into ``{currency ID: entry}``.

    ``XML_val.asp`` has no ISO codes, ``XML_valFull.asp`` has them (``ISO_Char_Code``);
    both carry the English name the site shows beside the bank's Russian one.
    """
    root = _root(content, "Valuta")
    entries = {}
    for item in root.findall("Item"):
        currency_id = (item.get("ID") or "").strip()
        where = Message(gettext_noop("catalogue item %(id)s"), {"id": currency_id or "?"})
        if not _ID_RE.match(currency_id):
            raise _refused(where, gettext_noop("ID is not a bank currency ID"))
        name = _text(item, "Name", where)
        english = _text(item, "EngName", where)
        if not (plausible_name(name) and plausible_name(english)):
            raise _refused(
                where,
                gettext_noop("names are damaged text (%(name)s, %(english)s)"),
                name=repr(name),
                english=repr(english),
            )
        entries[currency_id] = CatalogueEntry(
            currency_id=currency_id,
            name=name,
            english_name=english,
            nominal=_parse_nominal(_text(item, "Nominal", where), where),
            char_code=_text(item, "ISO_Char_Code", where, required=False) or "",
        )
    return entries
