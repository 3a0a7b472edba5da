"""Helpers for browser tests (the `browser` and `page` fixtures are in tests/conftest.py)."""

import json
from pathlib import Path
from urllib.parse import quote

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page; returns its violations (empty when the page passes)."""
    # Evaluated through DevTools, not added as a <script>: the site's policy forbids inline scripts.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in json.loads(result)["violations"]
    ]


SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTHS = (1280, 375)


def screenshots(page, name: str) -> list[Path]:
    """Save the page as a person sees it at 1280 and 375 px wide, for review after the run.

    The files land in ``var/screenshots/<name>-<width>.png``; the viewport is restored after.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size or {"width": 1280, "height": 800}
    saved = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        # The admin slides its content when the sidebar changes with the width: wait for those CSS
        # transitions to end (one cancelled meanwhile counts as ended; endless animations are not awaited).
        page.evaluate(
            "Promise.all(document.getAnimations().filter(a => a instanceof CSSTransition)"
            ".map(a => a.finished.catch(() => null)))"
        )
        path = SCREENSHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        saved.append(path)
    page.set_viewport_size(before)
    return saved


def sign_in(page, base: str, username: str, password: str, next_path: str | None = None) -> None:
    """Fill in the admin's sign-in form as a person does (by its labels) and press "Sign in".

    ``next_path`` is where the admin goes afterwards (the dashboard when None); the caller waits
    for what it expects, since a second step or a refusal may come first.
    """
    page.goto(base + "/admin/login/" + (f"?next={quote(next_path)}" if next_path else ""))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
