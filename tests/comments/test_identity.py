"""A commenter's identity: one keyed fingerprint of the normalised address, kept across a change
of key by GAZETTE_COMMENTER_KEY, and recomputed for every stored comment by a migration."""

import hashlib
import importlib

import pytest
from django.apps import apps
from django.utils.crypto import salted_hmac

from gazette.comments.choices import CommentStatus
from gazette.comments.identity import commenter_key, normalise_email
from gazette.comments.models import ReaderComment

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("gazette.comments.migrations.0007_recompute_commenter_identities")


def test_one_person_whatever_the_case_spaces_or_unicode_form():
    anna = commenter_key("anna@x.ru")
    assert len(anna) == 64 and "anna" not in anna
    assert commenter_key("Anna@x.ru") == commenter_key(" ANNA@X.RU\n") == anna
    # "é" typed as one code point or as "e" plus a combining accent is the same address.
    assert commenter_key("ren\u00e9@x.ru") == commenter_key("RENE\u0301@x.ru")
    assert normalise_email("Ren\u0065\u0301@X.ru") == "ren\u00e9@x.ru"
    assert commenter_key("anna@x.ru") != commenter_key("anne@x.ru")
    assert commenter_key("") == commenter_key("   ") == ""


def test_keyed_so_nobody_without_the_key_can_test_an_address(settings):
    anna = commenter_key("anna@x.ru")
    assert anna != hashlib.sha256(b"anna@x.ru").hexdigest()
    settings.SECRET_KEY = "another-secret-key"
    assert commenter_key("anna@x.ru") != anna


def test_pinning_the_commenter_key_keeps_identities_when_the_secret_key_rotates(settings):
    old_secret = settings.SECRET_KEY
    before = commenter_key("anna@x.ru")
    settings.GAZETTE_COMMENTER_KEY = old_secret
    settings.SECRET_KEY = "the-new-secret-key"
    assert commenter_key("anna@x.ru") == before


def test_the_migration_gives_every_stored_comment_the_shared_identity(article):
    def stored(email, email_hash, **fields):
        return ReaderComment.objects.create(
            article=article,
            author_name="Anna",
            author_email=email,
            email_hash=email_hash,
            body="Thank you.",
            status=CommentStatus.PUBLISHED,
            **fields,
        )

    # As the comment form stored them (lower-cased, SHA-256), and as the WordPress import did (SHA-1).
    form = stored("Anna@x.ru", salted_hmac("gazette.comments.email", "anna@x.ru", algorithm="sha256").hexdigest())
    imported = stored(
        "anna@X.ru",
        salted_hmac("gazette.comments.email", "anna@x.ru", algorithm="sha1").hexdigest(),
        source="wordpress",
        external_id="news.example.org:1",
    )
    # No address stored: nothing to compute an identity from, so it is kept as it was.
    without_address = stored("", "f" * 64)

    MIGRATION.recompute(apps, None)

    anna = commenter_key("anna@x.ru")
    assert ReaderComment.objects.get(pk=form.pk).email_hash == anna
    assert ReaderComment.objects.get(pk=imported.pk).email_hash == anna
    assert ReaderComment.objects.get(pk=without_address.pk).email_hash == "f" * 64
    assert ReaderComment.objects.get(pk=form.pk).author_email == "Anna@x.ru"  # the address itself is untouched


def test_unapplying_the_migration_restores_the_comment_forms_former_fingerprints(article):
    comment = ReaderComment.objects.create(
        article=article, author_name="Anna", author_email="Anna@x.ru", email_hash=commenter_key("anna@x.ru"), body="Hi."
    )
    MIGRATION.restore_form_fingerprints(apps, None)
    former = salted_hmac("gazette.comments.email", "anna@x.ru", algorithm="sha256").hexdigest()
    assert ReaderComment.objects.get(pk=comment.pk).email_hash == former
