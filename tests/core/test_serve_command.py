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
]


def test_every_launcher_uses_serve_sh_and_none_calls_granian_itself():
    for name in LAUNCHERS:
        text = (ROOT / name).read_text()
        assert "serve.sh" in text, name
        assert not re.search(r"granian\s+--interface|GRANIAN\)", text), f"{name} starts granian by itself"


def test_serve_sh_respawns_failed_workers_with_options_granian_knows():
    script = SERVE.read_text()
    assert "--respawn-failed-workers" in script
    options = set(re.findall(r"(--[a-z][a-z0-9-]+)", script))
    granian = Path(sys.executable).parent / "granian"
    help_text = subprocess.run([str(granian), "--help"], capture_output=True, text=True, timeout=60, check=True).stdout
    assert options - set(re.findall(r"(--[a-z][a-z0-9-]+)", help_text)) == set()
