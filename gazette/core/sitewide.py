"""Site-wide data every page reads, kept in process memory and checked with one query per request.

Every page shows the request's ``Site`` and its home page, the masthead settings, the visible
cities, the rates widget's currencies and the comment rules, and Wagtail checks the view
restrictions of the page and its ancestors. Read from the database, or from a shared cache,
each of them was a query or a cache read, or several, on every request the page cache could not
answer (every one a crawler makes). Here each process keeps what it read (DATA, never rendered HTML) together with the
token of the single row :class:`~gazette.core.models.SiteWideVersion` it read the data under:

- a request reads the token once, with one indexed single-row query, before anything it
  memoises (:func:`current_token`); while the token is unchanged, the memo is used as it is;
- every change of that data changes the token *in the same transaction*: whatever purges one of
  :data:`SITEWIDE_TAGS`, the teaser article's or the privacy page's tag (``purge_tags`` tells
  :func:`on_tags_purging` before the transaction commits), and for the view restrictions a
  restriction saved or deleted, a page moved or an alias created. A process that sees the new token
  sees the change, so it is correct across processes and hosts sharing the database;
- the token is random, never a counter: a rolled-back change restores an older token, and no
  process can hold data read under a token that comes back with other data;
- data read after the token is never older than the token, so a change landing in between only
  makes the next request read again.

Model instances are handed out as a fresh copy per call (:func:`memoised_copy`): a request may
set attributes on what it gets, and no request sees another's.
"""

from __future__ import annotations

import pickle
import threading
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.db import connections, router

from . import tags

# What the memoised data depends on, as the apps already purge it (see ``gazette.core.tags``).
SITEWIDE_TAGS = frozenset({tags.sites(), tags.masthead(), tags.cities(), tags.rates(), tags.comment_settings()})

MAX_ENTRIES = 1000

# Within a request the token is read once (the first memoised read); outside one, every time.
_UNREAD = "unread"
_request_token: ContextVar[str | None] = ContextVar("gazette_sitewide_token", default=None)

_lock = threading.Lock()
_memo: dict[str, Any] = {}
_memo_token: str | None = None


def _model():
    # By name: the models module reads the memo, and this module never imports it back.
    return apps.get_model("core", "SiteWideVersion")


def start_request(**kwargs) -> None:
    """``request_started`` receiver: this request reads the token afresh, once."""
    _request_token.set(_UNREAD)


def end_request(**kwargs) -> None:
    _request_token.set(None)


def _read_token() -> str | None:
    model = _model()
    connection = connections[router.db_for_read(model)]
    table, token, pk = (
        connection.ops.quote_name(name) for name in (model._meta.db_table, "token", model._meta.pk.column)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {token} FROM {table} WHERE {pk} = %s", [1])  # noqa: S608 - quoted names
        row = cursor.fetchone()
    return row[0] if row else None


def current_token() -> str | None:
    """The token the memo is valid for; read once per request (None: nothing may be memoised)."""
    known = _request_token.get()
    if known is not None and known != _UNREAD:
        return known
    token = _read_token()
    if token is None:
        bump()  # the row is gone (a flushed database): make it, and trust nothing read before
        token = _read_token()
    if known == _UNREAD and token is not None:
        _request_token.set(token)
    return token


def memoised(name: str, build: Callable[[], Any]) -> Any:
    """The value of ``build()`` as read under the current token (shared: never change it)."""
    token = current_token()
    if token is None:
        return build()
    global _memo_token  # one memo per process
    with _lock:
        if _memo_token != token:
            _memo.clear()
            _memo_token = token
        if name in _memo:
            return _memo[name]
    value = build()
    with _lock:
        # Bounded: names built from the request (a site per Host header) cannot grow it forever.
        if _memo_token == token and len(_memo) < MAX_ENTRIES:
            _memo[name] = value
    return value


def memoised_copy(name: str, build: Callable[[], Any]) -> Any:
    """:func:`memoised` for mutable values (model instances): each call gets its own copy."""
    data = memoised(name, lambda: pickle.dumps(build(), pickle.HIGHEST_PROTOCOL))
    return pickle.loads(data)  # noqa: S301 - pickled by this process from its own database rows


def unrestricted(path: str) -> bool:
    """True when neither the page at ``path`` nor an ancestor has a view restriction or is an alias.

    Then Wagtail's ``get_view_restrictions`` finds none, without asking; otherwise the caller
    asks it. The paths are memoised: a restriction added or removed, a page moved, and an alias
    created each change the token (``gazette.core.signal_handlers``).
    """
    from wagtail.models import Page, PageViewRestriction

    def build() -> frozenset[str]:
        restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
        aliases = Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)
        return frozenset(restricted) | frozenset(aliases)

    guarded = memoised("guarded-paths", build)
    if not guarded:
        return True
    step = Page.steplen
    return not any(path[:end] in guarded for end in range(step, len(path) + 1, step))


def forget() -> None:
    """Empty this process's memo (it is read again under the next token read)."""
    global _memo_token  # one memo per process
    with _lock:
        _memo.clear()
        _memo_token = None
    if _request_token.get() is not None:
        _request_token.set(_UNREAD)


def bump() -> None:
    """Give the site-wide data a new token, in the current transaction (see the module)."""
    model = _model()
    using = router.db_for_write(model)
    token = uuid.uuid4().hex
    if not model.objects.using(using).filter(pk=1).update(token=token):
        model.objects.using(using).update_or_create(pk=1, defaults={"token": token})
    forget()


def _names_sitewide_page(purged: frozenset[str]) -> bool:
    """A purged tag is the masthead's teaser article's or its privacy page's (of any site)."""
    masthead = apps.get_model("core", "MastheadSettings")
    for teaser, privacy in masthead.objects.values_list("teaser_article_id", "privacy_page_id"):
        if (teaser and tags.article(teaser) in purged) or (privacy and tags.page(privacy) in purged):
            return True
    return False


def on_tags_purging(sender, **kwargs) -> None:
    """``tags_purging`` receiver: a purge of what the memo holds changes the token now."""
    purged = kwargs["tags"]
    if purged & SITEWIDE_TAGS or _names_sitewide_page(purged):
        bump()
