"""``manage.py score_comments FILE``: a dry run over a TSV file, one line per row."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gazette.comments.models import CommentStatusChange, ReaderComment

pytestmark = pytest.mark.django_db

ROWS = [
    ("Thank you for the report, very clear.", "wanted", "1"),
    ("Спасибо за статью, всё понятно.", "ok", "1"),
    ("Earn 500 dollars a day from home, message me on WhatsApp http://cash.example.com", "spam", "1"),
    ("Ты xуйлo, а не журналист", "toxic", "0"),
    ("The bus was late again this morning.", "wanted", "0"),
]


def tsv(tmp_path, text, name="comments.tsv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def run(path):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("score_comments", path, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


def test_one_line_per_row_and_the_figures_for_labelled_rows(tmp_path, site):
    body = "text\tlabel\treturning\n" + "".join(f"{t}\t{lab}\t{r}\n" for t, lab, r in ROWS)
    lines, err = run(tsv(tmp_path, body))
    decisions = [line.split("\t") for line in lines[: len(ROWS)]]
    assert [d[0] for d in decisions] == ["publish", "publish", "bin", "hold", "hold"]
    for d in decisions:
        assert d[1].startswith("spam 0.") or d[1] == "spam 1.00"
        assert d[2].startswith("abuse ")
    assert decisions[2][3].startswith("looks like spam from a returning commenter: ")
    assert "offensive language: 0.99" in decisions[3][3]
    assert decisions[4][3] == "first comment from this person"
    assert decisions[0][3] == "-"
    assert lines[len(ROWS) :] == [
        "Settled automatically: 3 of 5 labelled rows (60.0 %).",
        "Decided wrongly: 0 of 3 settled rows (0.0 %).",
    ]
    assert "nothing was stored" in err
    assert not ReaderComment.objects.exists() and not CommentStatusChange.objects.exists()


def test_a_wrong_decision_is_counted(tmp_path, site):
    lines, _err = run(tsv(tmp_path, "text\tlabel\treturning\nThank you for the report, very clear.\tspam\t1\n"))
    assert lines[0].startswith("publish\t")
    assert lines[-1] == "Decided wrongly: 1 of 1 settled rows (100.0 %)."


def test_without_labels_only_the_decisions_are_printed(tmp_path, site):
    lines, _err = run(tsv(tmp_path, "text\nThank you for the report.\nСпасибо!\n"))
    assert len(lines) == 2 and all(line.split("\t")[0] in ("publish", "hold", "bin") for line in lines)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("body\tlabel\nhello\tspam\n", "the header row has no text column (columns: body, label)"),
        ("text\tlabel\nhello\tspam\textra\n", "line 2: 3 fields, the header has 2"),
        ("text\tlabel\nhello\tmaybe\n", "line 2: unknown label 'maybe'"),
        ("text\treturning\nhello\tperhaps\n", "line 2: returning must be 1 or 0, not 'perhaps'"),
        ("text\n \n", "line 2: the text is empty"),
        ("", "is empty: expected a header row with a text column"),
    ],
)
def test_malformed_files_get_a_clear_error(tmp_path, content, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(tsv(tmp_path, content))


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is not UTF-8 text"):
        run(tsv(tmp_path, "text\nПривет, как дела\n", encoding="cp1251"))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "absent.tsv"))


def test_the_command_exits_non_zero_on_a_malformed_file(tmp_path, capsys):
    from django.core.management import ManagementUtility

    path = tsv(tmp_path, "body\nhello\n")
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "score_comments", path]).execute()
    assert exited.value.code != 0
    assert "the header row has no text column" in capsys.readouterr().err
