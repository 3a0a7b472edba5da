"""Every stored commenter identity recomputed with gazette.comments.identity.commenter_key.

Comments from the form were fingerprinted from the lower-cased address with SHA-256, those
imported from WordPress with SHA-1: the same reader had two identities. Both are made again
from the stored address. A comment stored without an address (the demo's) keeps its
fingerprint: there is nothing to make it from.
"""

from django.db import migrations
from django.utils.crypto import salted_hmac

from gazette.comments.identity import commenter_key


def recompute(apps, schema_editor):
    ReaderComment = apps.get_model("comments", "ReaderComment")
    for comment in ReaderComment.objects.exclude(author_email="").only("pk", "author_email", "email_hash").iterator():
        key = commenter_key(comment.author_email)
        if key != comment.email_hash:
            ReaderComment.objects.filter(pk=comment.pk).update(email_hash=key)


def restore_form_fingerprints(apps, schema_editor):
    """Back to the comment form's former fingerprint (a lower-cased address, SHA-256)."""
    ReaderComment = apps.get_model("comments", "ReaderComment")
    for comment in ReaderComment.objects.exclude(author_email="").only("pk", "author_email").iterator():
        address = comment.author_email.strip().lower()
        key = salted_hmac("gazette.comments.email", address, algorithm="sha256").hexdigest()
        ReaderComment.objects.filter(pk=comment.pk).update(email_hash=key)


class Migration(migrations.Migration):
    dependencies = [("comments", "0006_scorer_models_replace_token_counts")]

    operations = [migrations.RunPython(recompute, restore_form_fingerprints, elidable=False)]
