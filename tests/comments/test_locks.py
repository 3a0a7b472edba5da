"""A write lock held by someone else: readers still get the form, commenters keep their text.

A second database connection holds the write lock (``BEGIN IMMEDIATE`` on SQLite, ``LOCK TABLE``
on PostgreSQL) past the web requests' wait bound (gazette/settings/base.py, DB_WAITS).
"""

import sqlite3

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gazette.comments.models import ReaderComment
from gazette.comments.write_gate import comment_writes
from tests.comments.conftest import ensure_migrated_data, post_comment
from tests.factories import make_article

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


class WriteLock:
    """Holds the database's write lock from another connection until released."""

    def __init__(self):
        settings = connection.settings_dict
        if connection.vendor == "sqlite":
            self.conn = sqlite3.connect(settings["NAME"], timeout=30, isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            import psycopg

            self.conn = psycopg.connect(
                dbname=settings["NAME"],
                user=settings["USER"],
                password=settings["PASSWORD"] or None,
                host=settings["HOST"],
                port=settings["PORT"],
            )
            self.conn.execute("LOCK TABLE comments_readercomment IN EXCLUSIVE MODE")

    def release(self):
        self.conn.rollback()
        self.conn.close()


@pytest.fixture(autouse=True)
def open_gate():
    comment_writes.locked_out = False
    yield
    comment_writes.locked_out = False


@pytest.fixture
def article(site, client):
    """An article whose pages have been shown once: what a site makes on its first visit (the
    settings rows of each site, the spam model) exists, as on any site that has had readers."""
    from gazette.comments.classifier import current_model

    ensure_migrated_data()
    article = make_article(title="Ferry season ends early")
    current_model()
    assert client.get(article.url).status_code == 200
    assert post_comment(client, article, website="filled in by a machine").status_code == 200
    return article


def _stored():
    return ReaderComment.objects.count()


def test_a_comment_meeting_a_held_lock_gets_the_form_back_and_succeeds_later(client, article):
    lock = WriteLock()
    try:
        response = post_comment(client, article, body="Words written while the site was busy")
    finally:
        lock.release()
    html = response.content.decode()
    assert response.status_code == 200
    assert "The site is busy; please try again in a moment." in html
    assert "Words written while the site was busy" in html
    assert 'name="stamp"' in html
    assert _stored() == 0

    assert comment_writes.locked_out
    again = post_comment(client, article, body="Words written while the site was busy")
    assert again.status_code == 302
    assert list(ReaderComment.objects.values_list("body", flat=True)) == ["Words written while the site was busy"]
    assert not comment_writes.locked_out


def test_while_one_post_tries_a_locked_database_the_others_are_answered_at_once(client, article):
    comment_writes.locked_out = True  # a post has met the lock
    probe = comment_writes.enter()  # and another is finding out whether it is free
    try:
        with CaptureQueriesContext(connection) as queries:
            response = post_comment(client, article, body="Sent while another post waits")
    finally:
        probe.met_lock()
        comment_writes.leave(probe)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The site is busy; please try again in a moment." in html
    assert "Sent while another post waits" in html
    assert not [q["sql"] for q in queries if "comments_readercomment" in q["sql"]]
    # That probe met the lock again: the gate stays shut, and the next post is the probe.
    assert comment_writes.locked_out
    assert post_comment(client, article, body="Sent once it is free").status_code == 302
    assert not comment_writes.locked_out
    assert list(ReaderComment.objects.values_list("body", flat=True)) == ["Sent once it is free"]


def test_the_form_loads_while_a_lock_is_held_and_writes_nothing(client, article):
    lock = WriteLock()
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/comments/{article.pk}/form/")
    finally:
        lock.release()
    assert response.status_code == 200
    assert "Control code" in response.content.decode()
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
