"""Opening and saving an article in Wagtail's page editor, against Wagtail's own plain page.

The yardstick is Wagtail's edit view of a plain page (the demo's privacy policy, a
``StandardPage`` with a short rich-text body): what the editor costs with nothing of Gazette's
in it. Measured against it, in the same run and in turn, round after round:

- opening the edit view (GET) of the demo's longest article (by body size);
- saving it as a draft (POST, as the editor's "Save draft" button sends it);
- publishing it (POST with ``action-publish``);
- the two panels the editor fetches once the form has loaded (editorial findings, suggested
  cities), for a changed version of the article and again for the same version (reused).

Target: each at most 2x the plain page's own figure (open against open, save against save,
publish against publish; publishing is also printed against the plain page's draft save).

How: a private site in a temporary directory (migrate, collectstatic, the demo, as ``make bench``
prepares it), then one child process with the production settings of ``bench/settings.py``
(DEBUG off, manifest static files, the file cache) that signs in as a superuser through Django's
test client and times whole requests through Django's middleware and Wagtail's views, in process,
so the figures are the server's time without the network. Each request's wall-clock time and
the process's CPU time are both kept: on a machine shared with other work the CPU time is the
steadier figure (the wall clock also counts the time other processes held the cores). Each form
is posted as the editor's browser would send it: the data is built from the page's own edit form
(``form_data``). The first rounds are not counted (imports, template loading, the speller's dictionaries).

``--profile open|save|publish`` prints a cProfile of that request on the article instead.
``--site DIR`` reuses a site prepared by an earlier run with ``--keep``.

Figures only, never pass/fail. ``.venv/bin/python bench/admin_bench.py [--rounds N]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.stack import PY, REPO, Site

TARGET_RATIO = 2.0
WARMUP_ROUNDS = 3
CASES = ("open", "save", "publish")
# The editor's panels that load after the form: what they cost, though no one waits for them.
PANELS = {"findings": "gazette_editorial:findings", "suggestions": "cities_admin:suggestions"}


def form_data(form) -> dict:
    """What a browser posts for this Wagtail edit form as rendered: fields, then formsets.

    StreamField values are spelt out block by block (``body-count``, ``body-0-type``...), rich
    text as Draftail's content state, choosers as primary keys, as the editor's scripts do.
    """
    from django.forms import CheckboxInput
    from wagtail.blocks.base import BlockField

    data: dict = {}
    for name in form.fields:
        bound = form[name]
        field = bound.field
        value = bound.value()
        if isinstance(field, BlockField):
            data.update(_block_data(field.block, value, bound.html_name))
        elif isinstance(field.widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            formatted = field.widget.format_value(value)
            data[bound.html_name] = "" if formatted is None else formatted
    for formset in getattr(form, "formsets", {}).values():
        management = formset.management_form
        for name in management.fields:
            data[management[name].html_name] = management[name].value()
        for child in formset.forms:
            data.update(form_data(child))
    return data


def _block_data(block, value, prefix: str) -> dict:
    from wagtail import blocks

    if isinstance(block, blocks.StreamBlock):
        out = {f"{prefix}-count": len(value)}
        for i, child in enumerate(value):
            out |= {f"{prefix}-{i}-type": child.block_type, f"{prefix}-{i}-deleted": "", f"{prefix}-{i}-order": i}
            out[f"{prefix}-{i}-id"] = child.id or ""
            out |= _block_data(child.block, child.value, f"{prefix}-{i}-value")
        return out
    if isinstance(block, blocks.ListBlock):
        children = list(value.bound_blocks) if hasattr(value, "bound_blocks") else list(value)
        out = {f"{prefix}-count": len(children)}
        for i, child in enumerate(children):
            child_value, child_id = (child.value, child.id) if hasattr(child, "id") else (child, None)
            out |= {f"{prefix}-{i}-deleted": "", f"{prefix}-{i}-order": i, f"{prefix}-{i}-id": child_id or ""}
            out |= _block_data(block.child_block, child_value, f"{prefix}-{i}-value")
        return out
    if isinstance(block, blocks.StructBlock):
        out = {}
        for name, child_block in block.child_blocks.items():
            out |= _block_data(child_block, value.get(name), f"{prefix}-{name}")
        return out
    if isinstance(block, blocks.ChooserBlock):
        return {prefix: "" if value is None else value.pk}
    formatted = block.field.widget.format_value(block.value_for_form(value))
    return {prefix: "" if formatted is None else formatted}


def _measure(rounds: int, profile: str | None) -> dict:
    """Runs in the child process, with the site's production settings."""
    import cProfile
    import io
    import pstats
    import statistics

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models.functions import Length
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from gazette.articles.models import ArticlePage
    from gazette.home.models import StandardPage

    user = get_user_model().objects.filter(username="bench-editor").first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench-editor", "bench@example.org", "bench-editor-pw")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    plain = StandardPage.objects.order_by("pk").first()
    article = (
        ArticlePage.objects.annotate(size=Length("body")).order_by("-size", "pk").first()
        if ArticlePage.objects.exists()
        else None
    )
    pages = {"plain": plain, "article": article}

    def post_data(page, publish: bool) -> dict:
        page = page.get_latest_revision_as_object()
        form_class = page.get_edit_handler().get_form_class()
        form = form_class(instance=page, for_user=user, parent_page=page.get_parent())
        data = form_data(form)
        if publish:
            data["action-publish"] = "action-publish"
        return data

    def request(kind: str, page) -> tuple[float, float]:
        url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
        data = post_data(page, publish=kind == "publish") if kind != "open" else None
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(url) if kind == "open" else client.post(url, data)
        elapsed = (time.perf_counter() - start, time.process_time() - cpu)
        expected = 200 if kind == "open" else 302
        if response.status_code != expected:
            errors = response.context.get("form").errors if response.context and "form" in response.context else ""
            raise RuntimeError(f"{kind} {page.title!r}: {response.status_code} {errors}")
        return elapsed

    if profile:
        for _ in range(WARMUP_ROUNDS):
            request(profile, article)
        profiler = cProfile.Profile()
        profiler.enable()
        request(profile, article)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
        return {"profile": out.getvalue()}

    panels = {}
    for name, view in PANELS.items():
        try:
            panels[name] = reverse(view, args=(article.pk,))
        except NoReverseMatch:
            continue  # a checkout whose panels render with the form
    standfirst = article.get_latest_revision_as_object().standfirst

    def fetch(url: str) -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
        elapsed = (time.perf_counter() - start, time.process_time() - cpu)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
        return elapsed

    times: dict[str, list[tuple[float, float]]] = {f"{case}:{name}": [] for case in CASES for name in pages}
    times |= {f"{name}:{when}": [] for name in panels for when in ("changed", "again")}
    for number in range(WARMUP_ROUNDS + rounds):
        measured = number >= WARMUP_ROUNDS
        for case in CASES:
            for name, page in pages.items():
                elapsed = request(case, page)
                if measured:
                    times[f"{case}:{name}"].append(elapsed)
        if panels:
            # A new version (a word of the standfirst changed): the panels look at it afresh.
            draft = article.get_latest_revision_as_object()
            draft.standfirst = f"{standfirst} ({number})"
            revision = draft.save_revision(user=user)
            for when in ("changed", "again"):
                for name, url in panels.items():
                    elapsed = fetch(url)
                    if measured:
                        times[f"{name}:{when}"].append(elapsed)
            # Published, so the next round opens the article as the others do: no draft pending
            # (the editor does more for a page with unpublished changes).
            revision.publish(user=user)
    body_blocks = len(article.body) if article else 0
    return {
        "plain": f"{plain.title} (pk {plain.pk})",
        "article": f"{article.title} (pk {article.pk}, {body_blocks} body blocks, {article.bylines.count()} authors)",
        "median_ms": {key: statistics.median(wall for wall, _cpu in values) * 1000 for key, values in times.items()},
        "median_cpu_ms": {key: statistics.median(cpu for _wall, cpu in values) * 1000 for key, values in times.items()},
    }


def _child(site: Site, rounds: int, profile: str | None) -> dict:
    code = (
        f"import json, sys; sys.path.insert(0, {str(REPO)!r}); from bench.admin_bench import _measure;"
        f" print('RESULT ' + json.dumps(_measure({rounds}, {profile!r})))"
    )
    env = site.env("bench.settings")
    env["DJANGO_ALLOWED_HOSTS"] += ",testserver"
    result = subprocess.run(
        [str(PY), "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=1800, check=False
    )
    for row in result.stdout.splitlines():
        if row.startswith("RESULT "):
            return json.loads(row.removeprefix("RESULT "))
    raise RuntimeError(f"the measuring process failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")


def report(figures: dict) -> None:
    print(f"Yardstick: Wagtail's edit view of {figures['plain']}")
    print(f"Article:   {figures['article']}")
    labels = {"open": "open the edit view (GET)", "save": "save a draft (POST)", "publish": "publish (POST)"}
    for key, title in (
        ("median_cpu_ms", "CPU time of the process (the steadier figure on a shared machine)"),
        ("median_ms", "Wall-clock time"),
    ):
        ms = figures[key]
        print(f"{title}:")
        print(f"  {'':32}{'plain page':>12}{'article':>12}{'ratio':>8}   target <= {TARGET_RATIO:.0f}x")
        for case, label in labels.items():
            plain, article = ms[f"{case}:plain"], ms[f"{case}:article"]
            ratio = article / plain
            verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
            print(f"  {label:<32}{plain:>9.1f} ms{article:>9.1f} ms{ratio:>7.2f}x   {verdict}")
        publish_vs_save = ms["publish:article"] / ms["save:plain"]
        print(f"  article's publish against the plain page's draft save: {publish_vs_save:.2f}x")
    ms, cpu = figures["median_ms"], figures["median_cpu_ms"]
    names = {"findings": "findings panel", "suggestions": "suggested cities panel"}
    shown = [name for name in PANELS if f"{name}:changed" in ms]
    if shown:
        print("Panels fetched after the form has loaded (the editor does not wait for them), wall (CPU):")
        for name in shown:
            changed, again = f"{name}:changed", f"{name}:again"
            print(
                f"  {names[name]:<24} changed version {ms[changed]:6.1f} ms ({cpu[changed]:5.1f}),"
                f" unchanged, reused {ms[again]:6.1f} ms ({cpu[again]:5.1f})"
            )
    else:
        print("Panels: rendered with the form in this checkout (their cost is inside 'open').")


def run_on_site(site: Site, rounds: int = 15) -> None:
    """Measure and print, on a site already prepared (``make bench`` calls this on its own)."""
    print(f"Median of {rounds} rounds, in process, production settings:")
    report(_child(site, rounds, None))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="measured rounds (each request of each page once)")
    parser.add_argument("--profile", choices=CASES, help="print a cProfile of this request on the article instead")
    parser.add_argument("--site", type=Path, help="a site prepared by an earlier run (kept with --keep)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    started = time.monotonic()
    work = None
    if args.site:
        site = Site(args.site)
    else:
        work = Path(tempfile.mkdtemp(prefix="gazette-admin-bench-"))
        site = Site(work / "site")
        print("Preparing a private site (migrate, collectstatic, demo content)...", flush=True)
        site.prepare()
    try:
        if args.profile:
            print(_child(site, args.rounds, args.profile)["profile"])
        else:
            run_on_site(site, args.rounds)
    finally:
        if work and args.keep:
            print(f"Kept {work} (reuse with --site {work / 'site'})")
        elif work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"Total time: {time.monotonic() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
