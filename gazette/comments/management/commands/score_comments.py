"""``manage.py score_comments FILE``: what the pipeline would decide for each comment of a TSV file.

A dry run: nothing is stored. FILE is UTF-8, tab-separated, with a header row naming a ``text``
column and optionally ``label`` (wanted|spam|abuse; ham/ok and toxic/hate are accepted),
``email`` (the commenter's approved comments on this site are counted) and ``returning``
(1/0, yes/no, true/false: treat the commenter as one the moderators already trust). Fields
are not quoted; a tab or newline cannot occur inside one.
"""

import csv

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gazette.comments import classifier, services
from gazette.comments.choices import CommentStatus
from gazette.comments.identity import commenter_key

DECISIONS = {CommentStatus.PUBLISHED: "publish", CommentStatus.PENDING: "hold", CommentStatus.SPAM: "bin"}
LABELS = {
    "wanted": classifier.WANTED,
    "ham": classifier.WANTED,
    "ok": classifier.WANTED,
    "spam": classifier.SPAM,
    "abuse": classifier.ABUSE,
    "toxic": classifier.ABUSE,
    "hate": classifier.ABUSE,
}
TRUTH = {"1": True, "yes": True, "true": True, "0": False, "no": False, "false": False, "": False}


def default_rules() -> services.Rules:
    """The default site's pre-moderation rules (the model's defaults when there is no site)."""
    from wagtail.models import Site

    from gazette.comments.models import CommentSettings

    site = Site.objects.filter(is_default_site=True).first()
    own = CommentSettings.for_site(site) if site else CommentSettings()
    return services.Rules(
        hold_all=own.hold_all, first_time_threshold=own.first_time_threshold, hold_links=own.hold_links
    )


def read_rows(path: str) -> list[dict]:
    """The rows of the TSV at ``path`` as dicts; raises CommandError naming the line of any mistake."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            lines = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    except FileNotFoundError as err:
        raise CommandError(_("%(path)s: no such file.") % {"path": path}) from err
    except UnicodeDecodeError as err:
        raise CommandError(_("%(path)s is not UTF-8 text: %(error)s") % {"path": path, "error": err}) from err
    except (OSError, csv.Error) as err:
        raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": err}) from err
    if not lines:
        raise CommandError(_("%(path)s is empty: expected a header row with a text column.") % {"path": path})
    header = [h.strip().lower() for h in lines[0]]
    if "text" not in header:
        raise CommandError(
            _("%(path)s: the header row has no text column (columns: %(columns)s).")
            % {"path": path, "columns": ", ".join(header) or "-"}
        )
    rows = []
    for number, fields in enumerate(lines[1:], start=2):
        if not fields:
            continue
        if len(fields) != len(header):
            raise CommandError(
                _("%(path)s line %(line)s: %(found)s fields, the header has %(expected)s.")
                % {"path": path, "line": number, "found": len(fields), "expected": len(header)}
            )
        row = dict(zip(header, fields, strict=True))
        if not row["text"].strip():
            raise CommandError(_("%(path)s line %(line)s: the text is empty.") % {"path": path, "line": number})
        label = row.get("label", "").strip().lower()
        if label and label not in LABELS:
            raise CommandError(
                _("%(path)s line %(line)s: unknown label %(label)r (use wanted, spam or abuse).")
                % {"path": path, "line": number, "label": label}
            )
        returning = row.get("returning", "").strip().lower()
        if returning not in TRUTH:
            raise CommandError(
                _("%(path)s line %(line)s: returning must be 1 or 0, not %(value)r.")
                % {"path": path, "line": number, "value": returning}
            )
        rows.append(
            {
                "text": row["text"],
                "label": LABELS.get(label, ""),
                "email": row.get("email", "").strip(),
                "returning": TRUTH[returning],
            }
        )
    return rows


class Command(BaseCommand):
    help = (
        "Dry run: print what the comment pipeline would decide (publish, hold or bin) for each row of a UTF-8 TSV "
        "file with a text column (optional label, email, returning), with the spam and abuse scores and the "
        "reasons. Stores nothing. With labels, also prints the share settled automatically and the share of "
        "settled rows decided wrongly."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 TSV with a header row: text[, label, email, returning]")

    def handle(self, *args, file, **options):
        rows = read_rows(file)
        rules = default_rules()
        model = classifier.current_model()
        spam, abuse = model.probabilities([r["text"] for r in rows]) if rows else ([], [])
        labelled = settled = wrong = 0
        for row, s, a in zip(rows, spam, abuse, strict=True):
            if row["returning"]:
                approved = max(1, rules.first_time_threshold)
            else:
                approved = services.approved_count(commenter_key(row["email"]))
            scores = classifier.TextScores(round(float(s), 2), round(float(a), 2), [], [], model.version)
            result = services.decide(row["text"], approved=approved, rules=rules, text_scores=scores)
            reasons = "; ".join(services.describe_reasons(result.reasons)) or "-"
            self.stdout.write(
                f"{DECISIONS[result.status]}\tspam {result.scores['spam']:.2f}\t"
                f"abuse {result.scores['offensive']:.2f}\t{reasons}"
            )
            if row["label"]:
                labelled += 1
                if result.status != CommentStatus.PENDING:
                    settled += 1
                    wanted = row["label"] == classifier.WANTED
                    wrong += (result.status == CommentStatus.PUBLISHED) != wanted
        if labelled:
            self.stdout.write(
                _("Settled automatically: %(settled)s of %(total)s labelled rows (%(share).1f %%).")
                % {"settled": settled, "total": labelled, "share": 100 * settled / labelled}
            )
            self.stdout.write(
                _("Decided wrongly: %(wrong)s of %(settled)s settled rows (%(share).1f %%).")
                % {"wrong": wrong, "settled": settled, "share": 100 * wrong / settled if settled else 0.0}
            )
        self.stderr.write(_("Scored by model %(version)s; nothing was stored.") % {"version": model.version})
