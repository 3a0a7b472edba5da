"""The importer's row writer stores what Django's ``bulk_create`` stores for the same objects:
every column prepared as the field prepares it (dates, addresses, JSON, lazy strings, keys),
automatic dates set, and the new primary keys handed back in the order of the rows."""

import uuid
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy
from wagtail.models import PageLogEntry

from gazette.comments.models import ReaderComment
from gazette.wordpress.bulk import Rows, rows_for
from gazette.wordpress.models import ImportedItem
from tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_search_indexing", "no_rendition_warming")]


def stored(model, pks, leave_out=("id",)):
    """The rows of ``pks`` as the database gives them back, without the columns in ``leave_out``."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in leave_out]
    rows = {row["id"]: row for row in model.objects.filter(pk__in=pks).values("id", *names)}
    return [{name: rows[pk][name] for name in names} for pk in pks]


def comments(article, tag):
    return [
        ReaderComment(
            article=article,
            author_name=gettext_lazy("Anonymous"),
            author_email="reader@example.org",
            body=f"The ferry timetable was wrong ({tag}).",
            status="published",
            created_at=datetime(2011, 3, 4, 5, 6, 7, tzinfo=UTC),
            published_at=datetime(2011, 3, 4, 6, 0, tzinfo=UTC),
            ip_address="::ffff:192.0.2.10",
            external_id=f"{tag}:1",
            scores={"spam": 0.25},
            reasons=[{"code": "links", "count": 2}],
            source="wordpress",
        ),
        ReaderComment(
            article=article,
            author_name="Olga Petrova",
            body=f"A reply with no address and no date of publication ({tag}).",
            created_at=datetime(2011, 3, 5, tzinfo=UTC),
            ip_address="",
            external_id=f"{tag}:2",
            source="wordpress",
            parent_removed=True,
        ),
    ]


def test_comments_are_stored_as_bulk_create_stores_them():
    article = make_article()
    by_django = ReaderComment.objects.bulk_create(comments(article, "django"))
    written = comments(article, "rows")
    with transaction.atomic():
        rows_for(ReaderComment).insert_objects(written, returning=True)

    expected = stored(ReaderComment, [c.pk for c in by_django])
    got = stored(ReaderComment, [c.pk for c in written])
    for row in expected + got:
        row["body"] = row["body"].rsplit(" (", 1)[0]
        row["external_id"] = row["external_id"].split(":", 1)[1]
    assert got == expected
    assert got[0]["ip_address"] == "192.0.2.10"
    assert got[1]["ip_address"] is None
    assert got[0]["author_name"] == "Anonymous"
    assert got[0]["scores"] == {"spam": 0.25}


def test_new_primary_keys_follow_the_order_of_the_rows():
    article = make_article()
    written = [
        ReaderComment(article=article, author_name="Reader", body=f"Comment {n}", external_id=str(n)) for n in range(30)
    ]
    with transaction.atomic():
        rows_for(ReaderComment).insert_objects(written, returning=True)

    assert all(not comment._state.adding for comment in written)
    for comment in written:
        assert ReaderComment.objects.get(pk=comment.pk).external_id == comment.external_id


def test_automatic_dates_are_set_and_uuids_and_json_prepared():
    article = make_article()
    with transaction.atomic():
        rows_for(ImportedItem).insert_objects(
            [ImportedItem(source="example.org", kind="post", wp_id="7", content_type_id=1, object_id=article.pk)]
        )
        key = uuid.uuid4()
        rows_for(PageLogEntry).insert_objects(
            [
                PageLogEntry(
                    content_type_id=article.content_type_id,
                    label="Ferry",
                    action="wagtail.publish",
                    timestamp=datetime(2012, 1, 2, tzinfo=UTC),
                    uuid=key,
                    page_id=article.pk,
                )
            ]
        )

    item = ImportedItem.objects.get(wp_id="7")
    assert item.imported_at is not None
    assert item.updated_at is not None
    entry = PageLogEntry.objects.get(uuid=key)
    assert entry.data == {}
    assert entry.timestamp == datetime(2012, 1, 2, tzinfo=UTC)


def test_a_value_its_field_cannot_read_is_refused_before_anything_is_written():
    article = make_article()
    writer = Rows(ReaderComment, fields=["article", "author_name", "body", "created_at"])
    with pytest.raises(ValidationError), transaction.atomic():
        writer.insert(
            [
                (article.pk, "Reader", "Fine", datetime(2011, 1, 1, tzinfo=UTC)),
                (article.pk, "Reader", "Not a date", "yesterday"),
            ]
        )

    assert not ReaderComment.objects.filter(article=article).exists()
