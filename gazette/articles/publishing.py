"""What an article must pass before it is published, and the editor panels other apps add.

Articles know no check themselves: an app that proofs them (``gazette.editorial``) registers in
its ``AppConfig.ready()``

- publish checks, :func:`register_publish_check`: ``check(draft)`` takes an
  :class:`ArticleDraft` and returns the reasons it cannot be published, each a
  :class:`Refusal`. Every path that publishes asks :func:`draft_refusals` or
  :func:`publish_refusals`: the editor's form (publish, schedule, submit, approve,
  :class:`gazette.articles.forms.ArticlePageForm`), a workflow approval from anywhere
  (``gazette.articles.signal_handlers``) and the page listing's bulk Publish
  (``gazette.articles.wagtail_hooks``);
- editor panels, :func:`register_edit_panel`: shown in the Content tab of the article editor,
  after the city panels and before the reader-comment rules, in the order registered.

A draft may always be saved: the checks apply only to what is published.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, Self


class Refusal(Protocol):
    """One reason an article cannot be published, and where the editor puts it right."""

    @property
    def check(self) -> str:
        """What refuses (a short code, the form error's ``code``)."""

    @property
    def message(self) -> str:
        """What is wrong and how to put it right, as the editor reads it."""

    @property
    def field(self) -> str:
        """The editor's form field it belongs beside (``bylines``: the byline; '': the form)."""

    @property
    def block(self) -> int | None:
        """With field ``body``: the index of the body block concerned."""


@dataclass
class ArticleDraft:
    """The parts of an article the checks read. ``contributors`` None means 'not known here'."""

    headline: str = ""
    standfirst: str = ""
    lead_image: Any = None
    lead_caption: str = ""
    lead_credit: str = ""
    body: Iterable = ()
    contributors: list | None = None

    @classmethod
    def from_page(cls, page) -> Self:
        """From an ArticlePage instance (saved, a revision's object, or filled in by the editor's form)."""
        return cls(
            headline=page.title or "",
            standfirst=page.standfirst or "",
            lead_image=page.lead_image,
            lead_caption=page.lead_caption or "",
            lead_credit=page.lead_credit or "",
            body=page.body or (),
            contributors=[b.contributor for b in page.bylines.all() if b.contributor_id],
        )


PublishCheck = Callable[[ArticleDraft], Iterable[Refusal]]

_publish_checks: list[PublishCheck] = []
_edit_panels: list = []


def register_publish_check(check: PublishCheck) -> None:
    """Run ``check`` on every article before it is published (once, however often registered)."""
    if check not in _publish_checks:
        _publish_checks.append(check)


def draft_refusals(draft: ArticleDraft) -> list[Refusal]:
    """Every registered check's reasons not to publish ``draft``, in the order registered."""
    return [refusal for check in _publish_checks for refusal in check(draft)]


def publish_refusals(page) -> list[Refusal]:
    """The reasons not to publish an article as ``page`` holds it (a revision's object included)."""
    return draft_refusals(ArticleDraft.from_page(page))


def register_edit_panel(panel) -> None:
    """Show the Wagtail ``panel`` in the article editor (see the module's docstring for where).

    Register before the editor is first built (in ``AppConfig.ready()``): Wagtail builds it once.
    """
    _edit_panels.append(panel)


def edit_panels() -> list:
    """The panels registered for the article editor, in the order registered."""
    return list(_edit_panels)
