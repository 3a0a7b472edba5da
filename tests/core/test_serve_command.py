"""One granian command line: every way of starting the web server goes through scripts/serve.sh."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "scripts" / "serve.sh"
LAUNCHERS = [
    "scripts/run.sh",
    "deploy/Procfile",
    "deploy/systemd/gazette-web.service",
    "bench/stack.py",
    "docs/deploy.md",
    "tests/scaleout/conftest.py",
]
# What starting granian by hand looks like: its executable named, or its options given.
GRANIAN_BY_HAND = re.compile(r'bin/granian|/ "granian"|\[\s*"granian"|granian\s+--|exec\s+granian')


def test_every_launcher_uses_serve_sh_and_none_calls_granian_itself():
    for name in LAUNCHERS:
        text = (ROOT / name).read_text()
        assert "serve.sh" in text, name
        assert not re.search(r"granian\s+--interface|GRANIAN\)", text), f"{name} starts granian by itself"


def test_no_file_but_serve_sh_spells_a_granian_command_line():
    """Anything that starts the server (Makefile, scripts, deploy files, benchmarks, docs, tests)."""
    places = [ROOT / "Makefile", ROOT / "README.md"]
    for folder in ("scripts", "deploy", "bench", "docs", "tests"):
        places += [p for p in (ROOT / folder).rglob("*") if p.is_file() and "fixtures" not in p.parts]
    by_hand = []
    for path in places:
        if path in (SERVE, Path(__file__).resolve()) or path.suffix in (".pyc", ".png", ".jpg", ".xml"):
            continue
        text = path.read_text(errors="replace")
        by_hand += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in GRANIAN_BY_HAND.finditer(text)]
    assert by_hand == []


def test_serve_sh_respawns_failed_workers_with_options_granian_knows():
    script = SERVE.read_text()
    assert "--respawn-failed-workers" in script
    options = set(re.findall(r"(--[a-z][a-z0-9-]+)", script))
    granian = Path(sys.executable).parent / "granian"
    help_text = subprocess.run([str(granian), "--help"], capture_output=True, text=True, timeout=60, check=True).stdout
    assert options - set(re.findall(r"(--[a-z][a-z0-9-]+)", help_text)) == set()
