"""IP retention and a commenter's right to see and erase what is stored about them."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from gazette.comments.identity import commenter_key
from gazette.comments.models import CommentStatusChange, ReaderComment
from gazette.comments.services import moderate, truncate_ip

pytestmark = pytest.mark.django_db


def test_truncate_ip():
    assert truncate_ip("203.0.113.77") == "203.0.113.0"
    assert truncate_ip("2001:db8:abcd:12:1:2:3:4") == "2001:db8:abcd::"


def test_old_addresses_are_truncated_by_the_command(article, capsys):
    old = ReaderComment.objects.create(
        article=article, author_name="A", body="x", ip_address="203.0.113.77", created_at=timezone.now() - timedelta(31)
    )
    new = ReaderComment.objects.create(article=article, author_name="B", body="y", ip_address="198.51.100.9")
    call_command("truncate_comment_ips", "--dry-run")
    assert "1 IP address older than 30 days would be truncated" in capsys.readouterr().out
    old.refresh_from_db()
    assert old.ip_address == "203.0.113.77"
    call_command("truncate_comment_ips")
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.ip_address, old.ip_truncated) == ("203.0.113.0", True)
    assert new.ip_address == "198.51.100.9"


def test_the_task_truncates_too(article):
    from gazette.comments.tasks import truncate_comment_ips

    ReaderComment.objects.create(
        article=article, author_name="A", body="x", ip_address="203.0.113.77", created_at=timezone.now() - timedelta(40)
    )
    assert truncate_comment_ips.enqueue().return_value == 1


def test_export_and_erase_a_commenter(article, tmp_path, capsys):
    mine = [
        ReaderComment.objects.create(
            article=article,
            author_name="Irina",
            author_email="irina@example.org",
            email_hash=commenter_key("irina@example.org"),
            body=f"Mine {i}",
            status="pending",
        )
        for i in range(2)
    ]
    moderate(mine[:1], "approve", None)
    other = ReaderComment.objects.create(article=article, author_name="Pavel", body="Not mine", status="published")
    out = tmp_path / "export.json"
    call_command("commenter_data", "IRINA@example.org", "--export", "--output", str(out))
    data = json.loads(out.read_text())
    assert sorted(c["text"] for c in data["comments"]) == ["Mine 0", "Mine 1"]
    assert data["comments"][0]["history"]
    call_command("commenter_data", "irina@example.org", "--erase", "--dry-run")
    assert ReaderComment.objects.count() == 3
    call_command("commenter_data", "irina@example.org", "--erase")
    assert "2 comments erased" in capsys.readouterr().out
    assert list(ReaderComment.objects.values_list("pk", flat=True)) == [other.pk]
    assert not CommentStatusChange.objects.filter(comment_id__in=[c.pk for c in mine]).exists()


def test_command_refuses_a_non_address():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not an e-mail address"):
        call_command("commenter_data", "nobody", "--export")
