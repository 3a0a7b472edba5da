"""How a picture's credit is written under it: the one rule every template and feed follows.

``Picture: X`` under one picture, ``Pictures: X`` under a group. A credit the editor already
began with a prefix (``Photo: X``, ``Photo by X``, ``Picture by X``, ``Credit: X``,
``Фото: X``...) is shown exactly as typed, never as ``Picture: Photo: X``. Machine-readable
places (Media RSS ``media:credit``, schema.org ``creditText``) want only who is credited:
:func:`credit_name` gives that.
"""

import re

from django.utils.translation import gettext

# A word that announces a credit, then a colon, a spaced dash or "by" ("Photo by", "Фото:").
_PREFIX_RE = re.compile(
    r"""^\s*(?:
        (?:photo(?:graph)?s?|photography|pictures?|images?|illustrations?|credits?|
           фото(?:графи[яи])?|иллюстраци[яи]|снимок|снимки|автор\s+фото)
        (?:\s*:|\s+[-\u2013\u2014]\s|\s+by\s)
        |courtesy\s+of\s
    )\s*""",
    re.IGNORECASE | re.VERBOSE,
)


def has_prefix(credit: str) -> bool:
    """Whether ``credit`` already starts with a prefix such as ``Photo:`` or ``Picture by``."""
    return bool(_PREFIX_RE.match(credit or ""))


def credit_name(credit: str) -> str:
    """Who is credited, without any prefix the editor typed: ``Photo by Ivan Petrov`` -> ``Ivan Petrov``."""
    credit = " ".join((credit or "").split())
    return _PREFIX_RE.sub("", credit, count=1).strip() or credit


def credit_line(credit: str, pictures: int = 1) -> str:
    """The line shown under ``pictures`` pictures: ``Picture: X``, ``Pictures: X``, or the
    credit as typed when it has its own prefix; ``""`` for no credit."""
    credit = " ".join((credit or "").split())
    if not credit:
        return ""
    if has_prefix(credit):
        return credit
    if pictures > 1:
        return gettext("Pictures: %(credit)s") % {"credit": credit}
    return gettext("Picture: %(credit)s") % {"credit": credit}


def combined_credit(credits) -> str:
    """One credit for a group made of its pictures' own credits: each holder once, in order,
    without the prefixes (the group's line adds its own ``Pictures:``)."""
    names: list[str] = []
    for credit in credits:
        name = credit_name(credit)
        if name and name not in names:
            names.append(name)
    return "; ".join(names)
