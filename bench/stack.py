"""Start Gazette's production stack on loopback for the benchmarks and the reader-experience budget.

Both ``make bench`` (``bench/run.py``) and ``tests/budget`` use this module, so the figures and
the budget are measured on the same thing a newsroom runs: granian serving ``gazette.wsgi`` with
production settings (DEBUG off, WhiteNoise, manifest static files), a private SQLite database,
cache, media and static directory under a temporary folder, the demo content and the generated
load of ``bench/seed.py``.

Every process started here belongs to a :class:`Processes` group and is stopped when the group
closes (also on Ctrl-C), each by its own process id.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = REPO / ".venv" / "bin" / "python"
SERVE = REPO / "scripts" / "serve.sh"
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("GAZETTE_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


@contextlib.contextmanager
def run_directory(work: Path, keep: bool):
    """Time a benchmark run and remove its private directory afterwards (unless ``keep``)."""
    started = time.monotonic()
    try:
        yield
    finally:
        if keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
        print(f"Total time: {time.monotonic() - started:.0f}s")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 10, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    """GET without following redirects; (status, headers, body). Loopback only."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our own loopback server
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def wait_http(url: str, timeout: float = 60) -> None:
    """Wait until ``url`` answers at all (any status); raise after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            http_get(url, timeout=5)
            return
        except OSError as err:
            last = err
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f}s: {last}")


@dataclass(frozen=True)
class Usage:
    """What a process group has used so far: CPU seconds and context switches (all threads)."""

    cpu_seconds: float = 0.0
    switches: int = 0

    def __sub__(self, other: Usage) -> Usage:
        return Usage(self.cpu_seconds - other.cpu_seconds, self.switches - other.switches)


def group_usage(group: int) -> Usage:
    """User + system CPU time and context switches of every live process in process group ``group`` (Linux).

    Context switches are counted per thread (``/proc/<pid>/task/<tid>/status``): a server that
    sleeps between requests and is woken for the next switches once per request or more.
    """
    ticks = switches = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != group:  # pgrp
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
            for task in Path(f"/proc/{entry}/task").iterdir():
                for row in (task / "status").read_text().splitlines():
                    if row.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        switches += int(row.split()[1])
        except OSError:
            continue  # the process or thread ended meanwhile
    return Usage(ticks / os.sysconf("SC_CLK_TCK"), switches)


def tmpfs_dir(prefix: str) -> Path | None:
    """A new directory on a tmpfs that allows running code (``/dev/shm`` on Debian), or None.

    Varnish's working directory belongs on one (its platform notes: the shared-memory log is a
    mapped file, and on a disk file system the kernel keeps writing its pages back).
    """
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    for row in mounts:
        fields = row.split()
        if (
            len(fields) >= 4
            and fields[1] == "/dev/shm"
            and fields[2] == "tmpfs"
            and "noexec" not in fields[3].split(",")
        ):
            return Path(tempfile.mkdtemp(prefix=prefix, dir=fields[1]))
    return None


class Processes:
    """Processes started for one run; closing the group stops each of them (TERM, then KILL).

    Each gets a process group of its own (for stopping it with everything it forks) but stays
    in this session: with the kernel's autogroup scheduling (on by default in Debian), a new
    session would be a scheduling group of its own, and the kernel would split the CPU evenly
    between wrk, standing in for readers on other machines, and the server under test. That
    capped a server needing more than half the machine (Varnish measured 0.80x-0.83x nginx, not 0.88x-0.94x).
    """

    def __init__(self) -> None:
        self._procs: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, cmd: list[str], log_dir: Path, **kwargs) -> subprocess.Popen:
        log = open(log_dir / f"{name}.log", "wb")  # closed with the process group
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, process_group=0, **kwargs
        )
        self._procs.append((name, proc))
        return proc

    def group_of(self, name: str) -> int | None:
        """The process group of the process started as ``name`` (it and everything it forked)."""
        for started, proc in self._procs:
            if started == name and proc.poll() is None:
                return proc.pid
        return None

    def stop(self, proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                return
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)

    def close(self) -> None:
        for _name, proc in reversed(self._procs):
            self.stop(proc)
        self._procs.clear()

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass
class Seeded:
    """What ``bench/seed.py`` made: the article with comments and pictures, and a city slug."""

    article_path: str
    article_pk: int
    city_slug: str
    comment_text: str


class Site:
    """A private Gazette installation (database, var dir, media, static files) in ``workdir``."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.var = workdir / "var"
        self.media = workdir / "media"
        self.logs = workdir / "logs"
        for d in (self.var, self.media, self.logs):
            d.mkdir(parents=True, exist_ok=True)
        self.secret = secrets.token_urlsafe(50)
        self.seeded: Seeded | None = None

    def env(self, settings: str = "bench.settings", port: int | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GAZETTE_", "REDIS_", "DATABASE_"))}
        host = f"127.0.0.1:{port}" if port else "127.0.0.1"
        env.update(
            DJANGO_SETTINGS_MODULE=settings,
            DJANGO_SECRET_KEY=self.secret,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            GAZETTE_HTTPS="0",
            GAZETTE_BASE_URL=f"http://{host}",
            GAZETTE_SQLITE_PATH=str(self.var / "db.sqlite3"),
            GAZETTE_VAR_DIR=str(self.var),
            GAZETTE_MEDIA_ROOT=str(self.media),
            GAZETTE_TEST_TMP=str(self.workdir / "testish"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            PYTHONPATH=str(REPO),
        )
        return env

    def manage(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run(
            [str(PY), "manage.py", *args],
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def prepare(self) -> Seeded:
        """Migrate, collect static files, train the comment scorer's base model (as ``make migrate``
        does: else each web process trains it on its first comment, and requests wait a minute),
        load the demo and the generated load."""
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")
        self.manage("train_comment_classifier", "--base-only")
        self.manage("load_demo")
        result = subprocess.run(
            [str(PY), "-m", "bench.seed"],
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"bench/seed.py failed:\n{result.stdout}\n{result.stderr}")
        self.seeded = Seeded(**json.loads(result.stdout.strip().splitlines()[-1]))
        return self.seeded

    def start_server(
        self,
        procs: Processes,
        name: str = "gazette",
        settings: str = "bench.settings",
        app: str = "gazette.wsgi:application",
        workers: int = 2,
        port: int | None = None,
    ) -> str:
        """Serve with ``scripts/serve.sh`` as ``make run`` does; returns the base URL once it answers."""
        port = port or free_port()
        cmd = ["bash", str(SERVE)]
        env = self.env(settings, port)
        env.update(
            HOST="127.0.0.1",
            PORT=str(port),
            WEB_WORKERS=str(workers),
            MEDIA_DIR=str(self.media),
            WSGI_APP=app,
            VENV=str(PY.parent.parent),
        )
        proc = procs.start(name, cmd, self.logs, cwd=REPO, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_http(base + "/favicon.ico", timeout=60)
        except RuntimeError as err:
            log = (self.logs / f"{name}.log").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{err}\n--- {name} log ---\n{log}") from err
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited: {(self.logs / f'{name}.log').read_text(errors='replace')[-3000:]}")
        return base


LIGHTHOUSE_ATTEMPTS = 3


def lighthouse(url: str, categories: list[str], out_dir: Path, name: str, timeout: float = 150) -> dict:
    """Run Lighthouse (mobile) on ``url``; returns its JSON report. A run can fail to record its
    trace (``NO_NAVSTART``), twice in a row on a loaded CI machine, so it is run up to three
    times with a pause between, each in a fresh Chromium profile."""
    out = out_dir / f"lighthouse-{name}.json"
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    errors = []
    for attempt in range(1, LIGHTHOUSE_ATTEMPTS + 1):
        if attempt > 1:
            time.sleep(2 * (attempt - 1))
        out.unlink(missing_ok=True)
        profile = out_dir / f"chrome-profile-{name}-{attempt}"
        cmd = [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}",
            f"--only-categories={','.join(categories)}",
            "--form-factor=mobile",
        ]
        try:
            result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False)
        except subprocess.TimeoutExpired:
            errors.append(f"attempt {attempt}: timed out after {timeout:.0f}s")
            continue
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        report = json.loads(out.read_text()) if result.returncode == 0 and out.exists() else None
        if report and not report.get("runtimeError"):
            return report
        errors.append(
            f"attempt {attempt}: rc={result.returncode} {(report or {}).get('runtimeError')} {result.stderr[-800:]}"
        )
    raise RuntimeError(f"Lighthouse failed on {url}: " + " | ".join(errors))


def lighthouse_scores(report: dict) -> dict[str, int]:
    """Category id -> score out of 100 (None when Lighthouse could not score it)."""
    return {
        key: (round(cat["score"] * 100) if cat.get("score") is not None else None)
        for key, cat in report["categories"].items()
    }


def lighthouse_failures(report: dict, category: str) -> list[str]:
    """The scored audits of a category that did not pass, with Lighthouse's title."""
    failing = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref.get("weight", 0) and audit.get("score") is not None and audit["score"] < 1:
            failing.append(f"{ref['id']} ({audit['score']}): {audit['title']}")
    return failing


def vnu_errors(files: list[Path], timeout: float = 120) -> dict[str, list[str]]:
    """Nu HTML checker errors per file (empty lists when every file is valid)."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    try:
        messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    except json.JSONDecodeError as err:
        raise RuntimeError(f"vnu.jar gave no JSON: {result.stdout[-500:]} {result.stderr[-500:]}") from err
    found: dict[str, list[str]] = {str(f): [] for f in files}
    for m in messages:
        if m.get("type") == "error" or m.get("subType") == "fatal":
            key = (m.get("url") or "").removeprefix("file:")
            found.setdefault(key, []).append(f"line {m.get('lastLine')}: {m.get('message')} [{m.get('extract', '')}]")
    return found


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def brotli_size(data: bytes) -> int | None:
    try:
        import brotli
    except ImportError:
        return None
    return len(brotli.compress(data, quality=11))


WRK_TIMEOUT_MARGIN = 30


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int
    errors: str


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(
    url: str,
    duration: int,
    connections: int,
    threads: int,
    script: Path | None = None,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "--latency", url]
    for name, value in (headers or {}).items():
        cmd[1:1] = ["-H", f"{name}: {value}"]
    if script:
        cmd[1:1] = ["-s", str(script)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + WRK_TIMEOUT_MARGIN, check=False).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    total = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    if not (rps and p50 and p99 and total):
        raise RuntimeError(f"wrk gave no figures:\n{out}")
    return WrkResult(
        float(rps.group(1)),
        _ms(p50.group(1)),
        _ms(p99.group(1)),
        int(total.group(1)),
        int(bad.group(1)) if bad else 0,
        errors.group(1) if errors else "",
    )


def cpu_model() -> str:
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                return row.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"
