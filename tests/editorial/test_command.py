"""``manage.py proofread``: the archive report."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from gazette.editorial.checks import ArticleDraft, run_checks
from gazette.editorial.models import DismissedFinding
from tests.editorial.conftest import TROUBLED_BODY
from tests.factories import ImageFactory, make_article

pytestmark = pytest.mark.django_db


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("proofread", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_report_lists_findings_of_published_articles(gazetteer, elena):
    troubled = make_article(
        title="The secret train", authors=[elena], body=TROUBLED_BODY, published=datetime(2024, 3, 1, tzinfo=UTC)
    )
    make_article(
        title="Uncredited picture",
        authors=[elena],
        lead_image=ImageFactory(credit=""),
        body=[("paragraph", "<p>The ferry left Tomsk.</p>")],
        published=datetime(2024, 3, 2, tzinfo=UTC),
    )
    make_article(
        title="Clean story",
        authors=[elena],
        body=[("paragraph", "<p>The ferry left Barnaul.</p>")],
        published=datetime(2024, 3, 3, tzinfo=UTC),
    )
    make_article(title="Draft with Stalinhad", authors=[elena], publish=False, live=False)
    stalinhad = next(f for f in run_checks(ArticleDraft.from_page(troubled)) if f.text == "Stalinhad")
    DismissedFinding.objects.create(page=troubled, fingerprint=stalinhad.fingerprint, check_name="run_together")

    out, err = _run()
    assert f"The secret train (#{troubled.pk}) /news/" in out
    assert "warning place [Body block 1 (paragraph)]: 'Banraul' is not a place in the gazetteer" in out
    assert "'Khanty-Mansyisk'" in out and "'Polytechic'" in out and "'Novosibrisk'" in out
    assert "Stalinhad" not in out  # dismissed by an editor; drafts are not the archive
    assert "BLOCKING lead_image [Lead picture]" in out and "Uncredited picture" in out
    assert "Clean story" not in out
    assert "Checked 3 articles: 1 blocking, 4 warnings in 2 articles; 1 dismissed warning not listed." in out
    assert "By check: consistency 1, lead_image 1, place 2, spelling 1" in out
    assert "3/3" in err  # the progress bar


def test_since_limits_the_archive(gazetteer, elena):
    make_article(title="Old story", authors=[elena], body=TROUBLED_BODY, published=datetime(2019, 1, 1, tzinfo=UTC))
    make_article(title="New story", authors=[elena], body=TROUBLED_BODY, published=datetime(2024, 5, 1, tzinfo=UTC))
    out, _ = _run("--since", "2024-01-01", "--no-progress")
    assert "New story" in out and "Old story" not in out
    assert out.strip().splitlines()[-2].startswith("Checked 1 article:")
    with pytest.raises(CommandError, match="--since must be a date"):
        _run("--since", "last week")
