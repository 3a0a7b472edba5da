"""The process definitions a newsroom installs (deploy/systemd, deploy/Procfile) run production
settings unless the operator's environment names others."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = ["gazette-web.service", "gazette-worker.service", "gazette-scheduler.service"]
PRODUCTION = "gazette.settings.production"


def service_settings(unit: str) -> tuple[dict[str, str], list[str]]:
    """The variables the unit's ``Environment=`` lines set, and its ``EnvironmentFile=`` paths."""
    env, files, section = {}, [], ""
    for line in (DEPLOY / "systemd" / unit).read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and line.startswith("Environment="):
            env.update(item.split("=", 1) for item in shlex.split(line.removeprefix("Environment=")))
        elif section == "[Service]" and line.startswith("EnvironmentFile="):
            files.append(line.removeprefix("EnvironmentFile="))
    return env, files


@pytest.mark.parametrize("unit", UNITS)
def test_each_unit_runs_production_settings_and_reads_the_operators_environment(unit):
    env, files = service_settings(unit)
    assert env["DJANGO_SETTINGS_MODULE"] == PRODUCTION
    # systemd applies EnvironmentFile= after Environment=, so the operator's file can override it.
    assert files == ["/etc/gazette/env"]


def procfile_command(name: str) -> str:
    for line in (DEPLOY / "Procfile").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"deploy/Procfile has no {name} line")


@pytest.mark.parametrize("name", ["worker", "scheduler"])
def test_procfile_background_processes_run_production_settings_unless_told_otherwise(name):
    command = procfile_command(name)
    assert "manage.py" in command
    # The line as the process manager's shell runs it, with manage.py's command swapped for one
    # that prints the settings module it would load.
    shown = re.sub(
        r"python manage\.py .*$", "python -c 'import os; print(os.environ[\"DJANGO_SETTINGS_MODULE\"])'", command
    )
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    base["PATH"] = f"{Path(sys.executable).parent}:{base.get('PATH', '')}"

    def run(env):
        return subprocess.run(["sh", "-c", shown], env=env, capture_output=True, text=True, check=True).stdout.strip()

    assert run(base) == PRODUCTION
    assert run({**base, "DJANGO_SETTINGS_MODULE": "gazette.settings.dev"}) == "gazette.settings.dev"
