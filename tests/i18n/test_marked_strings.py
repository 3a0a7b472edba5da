"""Every message Gazette's code gives a person goes through the catalogue.

The code is read, not run: a call that shows a person text (a command's output or error, a
validation error, a message after an admin action) must not be given English written straight
into the call, as a plain string or an f-string with words in it. Format glue without words
(``f"  {label}: {message}"``) is fine: its pieces are translated where they are made.

Exceptions whose text reaches a screen count as such calls. The rates errors are stored with the
failed fetch and translated when an editor reads them, so their text must be the msgid itself
(``gettext_noop``): text already translated when raised would keep one language forever."""

import ast
import re
from pathlib import Path

import pytest

from .conftest import REPO

GAZETTE = REPO / "gazette"
WORD = re.compile(r"[A-Za-z]{2,}")
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sdrf]")
# Calls whose first argument a person reads.
FIRST_ARGUMENT = {"CommandError", "ValidationError", "write", "SUCCESS", "ERROR", "WARNING", "NOTICE", "HTTP_INFO"}
# Exceptions whose text a person reads: rate fetch errors (the rates screen, the dashboard,
# fetch_rates and backfill_rates), rate-source settings errors (the commands), a WordPress file
# refused (import_wordpress), a reader's comment or report refused (the comment form), a spelling
# dictionary that could not load (the proofing findings, kept for the process and shown per run).
FIRST_ARGUMENT |= {"RateSourceError", "RateDataError", "InvalidRateSourceError", "WxrError"}
FIRST_ARGUMENT |= {"CommentRefused", "ReportRefused", "DictionaryUnavailable"}
# Calls whose second argument a person reads (``messages.success(request, text)``,
# ``form.add_error(field, text)``, ``_refused(where, text)`` in the rates parser).
SECOND_ARGUMENT = {"success", "error", "warning", "info", "debug", "add_message", "add_error", "_refused"}
# Texts stored and translated when read: the msgid goes in, never a translation of it.
STORED_MESSAGES = {"RateSourceError", "RateDataError", "Message", "_refused", "DictionaryUnavailable"}
TRANSLATING_NOW = {"gettext", "gettext_lazy", "_", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
# Output that programs read, kept as it is on purpose.
MACHINE_READABLE = {
    # score_comments prints one tab-separated line per comment (decision, spam, abuse, reasons)
    # for scripts and spreadsheets; its column labels stay fixed in every language.
    ("gazette/comments/management/commands/score_comments.py", "write"),
}


def _english(node: ast.AST) -> bool:
    """Whether ``node`` is English written into the call: a string or f-string with words."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(WORD.search(PLACEHOLDER.sub("", node.value)))
    if isinstance(node, ast.JoinedStr):
        return any(_english(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _english(node.left) or _english(node.right)
    return False


def _name(func: ast.AST) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _translated_now(node: ast.AST) -> bool:
    """Whether ``node`` translates its text where it stands (``gettext(...)``, ``_(...) % ...``)."""
    if isinstance(node, ast.BinOp):
        return _translated_now(node.left)
    return isinstance(node, ast.Call) and _name(node.func) in TRANSLATING_NOW


def unmarked_messages(path: Path) -> list[str]:
    source = path.read_text()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        position = 0 if name in FIRST_ARGUMENT | {"Message"} else 1 if name in SECOND_ARGUMENT else None
        if position is None or len(node.args) <= position:
            continue
        relative = path.relative_to(REPO).as_posix()
        if (relative, name) in MACHINE_READABLE:
            continue
        text = node.args[position]
        if _english(text) or (name in STORED_MESSAGES and _translated_now(text)):
            found.append(f"{relative}:{node.lineno}: {ast.get_source_segment(source, node)[:90]}")
    return found


def _modules():
    return sorted(p for p in GAZETTE.rglob("*.py") if "migrations" not in p.parts)


def test_no_gazette_module_gives_a_person_unmarked_english():
    found = [line for path in _modules() for line in unmarked_messages(path)]
    assert not found, "Mark these for translation (gettext with named placeholders):\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("code", "caught"),
    [
        ('raise CommandError(f"{path} is not a file.")', True),
        ('self.stdout.write("Scheduler stopped.")', True),
        ('raise ValidationError("Not a name: %(value)s", params={"value": v})', True),
        ('messages.success(request, f"Replaced {old}.")', True),
        ('self.stdout.write(self.style.WARNING("Interrupted."))', True),
        ('raise CommandError(gettext("%(path)s is not a file.") % {"path": path})', False),
        ('self.stdout.write(f"  {label}: {message}")', False),
        ('form.add_error("code", _("That code is not right."))', False),
        ('raise RateSourceError(f"{url} answered HTTP {status}")', True),
        ('raise RateDataError("the answer is empty")', True),
        ('raise _refused(where, "<%(tag)s> is missing or empty", tag=tag)', True),
        ('raise RateDataError(gettext("the answer is empty"))', True),
        ('raise RateSourceError(_("%(path)s is not a directory"), path=path)', True),
        ('problem = Message(gettext_lazy("an HTML page instead of XML"))', True),
        ('raise WxrError(f"{path.name} is not well-formed XML")', True),
        ('raise CommentRefused("This reply link is not valid.")', True),
        ('raise RateDataError(gettext_noop("the answer is empty"))', False),
        ('raise _refused(where, gettext_noop("<%(tag)s> is missing or empty"), tag=tag)', False),
        ('where = Message("%(code)s (%(id)s)", {"code": code, "id": currency_id})', False),
        ('raise WxrError(gettext("%(file)s is not XML") % {"file": path.name})', False),
        ('raise ValueError(f"not a cache-tag key for {kind}")', False),
    ],
)
def test_the_scan_tells_marked_from_unmarked(tmp_path, monkeypatch, code, caught):
    module = tmp_path / "module.py"
    module.write_text(code + "\n")
    monkeypatch.setattr("tests.i18n.test_marked_strings.REPO", tmp_path)
    assert bool(unmarked_messages(module)) is caught
