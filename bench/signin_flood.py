"""A flood of wrong passwords at the admin's sign-in form, on the production stack: does it hold?

Bounded and on loopback only. A private site (migrated, one editor account) is served as
production serves it (``scripts/serve.sh``: granian, 2 worker processes, production settings)
with a private Redis as the cache, so the failure counts are shared by both processes. Then:

- ``--attempts`` (1,000) sign-in attempts from ``--addresses`` (10) client addresses, the
  loopback addresses 127.0.0.2, 127.0.0.3, ... (``REMOTE_ADDR``, as the project reads it), one
  connection per address, half of them at the editor's account, each with a different wrong
  password. Printed: what they got; whether any signed in; whether every attempt past the limit
  (``GAZETTE_SIGNIN_FAILURE_LIMIT``, 5) was refused with 429;
- the editor signs in from their own address (127.0.0.1) with the right password;
- the servers' log is searched for every password tried;
- the throttle's cost: the median time of a sign-in POST (right password; wrong password under
  the limit; a refused one) with django-axes, against the same POSTs on a second server without
  it (``bench/settings_signin_unthrottled.py``), in the same run.

Figures and findings only, never pass/fail. ``make bench`` runs it at the end (bench/run.py);
alone: ``.venv/bin/python bench/signin_flood.py [--attempts N] [--addresses N] [--samples N]``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.stack import Processes, Site, cpu_model, free_port, run_directory

LOGIN = "/admin/login/"
EDITOR = "editor"
FAILURE_LIMIT = 5  # GAZETTE_SIGNIN_FAILURE_LIMIT's default, which the servers run with
TIMEOUT = 30  # seconds any one request may take


class RedisSite(Site):
    """The site with Redis as its cache (sessions, rate limits, sign-in failure counts)."""

    def __init__(self, workdir: Path, redis_url: str) -> None:
        super().__init__(workdir)
        self.redis_url = redis_url

    def env(self, settings: str = "bench.settings", port: int | None = None) -> dict[str, str]:
        return {**super().env(settings, port), "REDIS_URL": self.redis_url}


def start_redis(procs: Processes, work: Path) -> str:
    port = free_port()
    cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    procs.start("redis", cmd, work)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


class Browser:
    """One client address's connection to the server: keeps its cookies, takes the CSRF token."""

    def __init__(self, base: str, address: str) -> None:
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port
        self.address = address
        self.cookies: dict[str, str] = {}
        self.conn = self._connect()
        self.token = ""

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT, source_address=(self.address, 0))

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{self.host}"})
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode(errors="replace")
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = self._connect()
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def open_login(self) -> None:
        _status, _headers, text = self.request("GET", LOGIN)
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)

    def sign_in(self, username: str, password: str) -> tuple[int, float, str]:
        """POST the form; (status, seconds, Location)."""
        started = time.perf_counter()
        status, headers, _text = self.request(
            "POST", LOGIN, {"csrfmiddlewaretoken": self.token, "username": username, "password": password}
        )
        return status, time.perf_counter() - started, headers.get("location", "")


def flood_one_address(base: str, address: str, attempts: int, tried: list[str]) -> list[int]:
    browser = Browser(base, address)
    browser.open_login()
    statuses = []
    for n in range(attempts):
        password = f"guess-{secrets.token_hex(6)}"
        tried.append(password)
        username = EDITOR if n % 2 == 0 else f"reporter{n % 7}"
        statuses.append(browser.sign_in(username, password)[0])
    return statuses


def flood(base: str, attempts: int, addresses: int) -> tuple[dict[str, list[int]], list[str]]:
    per_address = [attempts // addresses + (1 if i < attempts % addresses else 0) for i in range(addresses)]
    names = [f"127.0.0.{i + 2}" for i in range(addresses)]
    tried: list[str] = []
    with ThreadPoolExecutor(max_workers=addresses) as pool:
        results = pool.map(
            lambda pair: flood_one_address(base, pair[0], pair[1], tried), zip(names, per_address, strict=True)
        )
        return dict(zip(names, results, strict=True)), tried


def editor_signs_in(base: str, password: str) -> str:
    browser = Browser(base, "127.0.0.1")
    browser.open_login()
    status, _seconds, location = browser.sign_in(EDITOR, password)
    if status != 302:
        return f"NO: their sign-in got HTTP {status}"
    status, headers, _text = browser.request("GET", "/admin/")
    then = f"a redirect to {headers.get('location', '')}" if status == 302 else f"HTTP {status}"
    return f"yes: password accepted (302 to {location}); the admin then answers with {then}"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def post_costs(base: str, password: str, samples: int, first_octet: int) -> dict[str, tuple[float, dict[int, int]]]:
    """(median ms, count per HTTP status) of sign-in POSTs: right password, wrong password (under
    any limit), and a wrong one from an address past the limit (refused, where there is a throttle)."""
    kinds = ("right password", "wrong password", "past the limit")
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    statuses: dict[str, dict[int, int]] = {kind: {} for kind in kinds}

    def timed(kind: str, browser: Browser, username: str, secret: str) -> None:
        status, seconds, _location = browser.sign_in(username, secret)
        times[kind].append(seconds)
        statuses[kind][status] = statuses[kind].get(status, 0) + 1

    for _ in range(samples):
        # A fresh visitor each time: signing in rotates the session and the CSRF token.
        right = Browser(base, "127.0.0.1")
        right.open_login()
        timed("right password", right, EDITOR, password)
    # Wrong passwords from fresh addresses, fewer than the limit each, so none is locked.
    per_address = FAILURE_LIMIT - 2
    for n in range(samples):
        address_index = n // per_address
        if n % per_address == 0:
            wrong = Browser(base, f"127.{first_octet}.{address_index // 250}.{address_index % 250 + 2}")
            wrong.open_login()
        timed("wrong password", wrong, EDITOR, f"wrong-{n}")
    locked = Browser(base, f"127.{first_octet}.255.2")
    locked.open_login()
    for n in range(FAILURE_LIMIT):
        locked.sign_in(EDITOR, f"wrong-{n}")
    for n in range(samples):
        timed("past the limit", locked, EDITOR, f"more-{n}")
    return {kind: (median_ms(times[kind]), statuses[kind]) for kind in kinds}


def make_editor(site: Site, password: str) -> None:
    code = (
        "from django.contrib.auth.models import Group; from gazette.users.models import User; "
        f"u = User.objects.create_user('{EDITOR}', 'editor@example.org', '{password}'); "
        "u.groups.add(Group.objects.get(name='Editors'))"
    )
    site.manage("shell", "-c", code)


def run(work: Path, procs: Processes, attempts: int, addresses: int, samples: int, workers: int) -> None:
    """The flood and the cost figures on a private site and Redis in ``work``; prints them."""
    work.mkdir(parents=True, exist_ok=True)
    redis_url = start_redis(procs, work)
    site = RedisSite(work / "site", redis_url)
    site.manage("migrate", "--no-input", "-v", "0", timeout=600)
    site.manage("collectstatic", "--no-input", "-v", "0")
    password = secrets.token_urlsafe(16)
    make_editor(site, password)
    base = site.start_server(procs, "signin-axes", workers=workers)
    print(f"Sign-in flood: {attempts} attempts from {addresses} addresses at {base}{LOGIN} (2 granian processes,")
    print(f"production settings, Redis counts; lock after {FAILURE_LIMIT} failures)...", flush=True)
    started = time.monotonic()
    by_address, tried = flood(base, attempts, addresses)
    seconds = time.monotonic() - started
    mix: dict[int, int] = {}
    for statuses in by_address.values():
        for status in statuses:
            mix[status] = mix.get(status, 0) + 1
    print(
        f"  {sum(mix.values())} attempts in {seconds:.1f}s: " + ", ".join(f"{n} x {s}" for s, n in sorted(mix.items()))
    )
    signed_in = mix.get(302, 0)
    print(
        f"  accounts signed in by the flood: {signed_in}" + (" (NONE, as it should be)" if not signed_in else " (BAD)")
    )
    late = {address: [s for s in statuses[FAILURE_LIMIT - 1 :] if s != 429] for address, statuses in by_address.items()}
    leaked = sum(len(v) for v in late.values())
    print(
        f"  attempts past the limit (from the {FAILURE_LIMIT}th per address) not refused with 429: {leaked}"
        + (" (every one refused)" if not leaked else f" (BAD: {late})")
    )
    print("  the editor signs in from their own address:", editor_signs_in(base, password))
    time.sleep(1)  # let the servers flush their logs
    log = (site.logs / "signin-axes.log").read_text(errors="replace")
    found = [p for p in tried + [password] if p in log]
    print(f"  passwords found in the servers' log ({len(log.splitlines())} lines): {len(found)} of {len(tried) + 1}")

    plain = site.start_server(procs, "signin-plain", settings="bench.settings_signin_unthrottled", workers=workers)
    print(f"Throttle's cost: median sign-in POST, {samples} of each, with django-axes and without (same run):")
    with_axes = post_costs(base, password, samples, first_octet=10)
    without = post_costs(plain, password, samples, first_octet=20)
    for kind, (ms, got) in with_axes.items():
        plain_ms, plain_got = without[kind]
        mix = ", ".join(f"{n} x {status}" for status, n in sorted(got.items()))
        plain_mix = ", ".join(f"{n} x {status}" for status, n in sorted(plain_got.items()))
        print(
            f"  {kind:<16} with {ms:8.1f} ms ({mix})   without {plain_ms:8.1f} ms ({plain_mix})"
            f"   ratio {ms / plain_ms:.2f}x"
        )
    print("  (past the limit, django-axes refuses before the password is checked; without it, it is checked)")


def _stop(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--addresses", type=int, default=10)
    parser.add_argument("--samples", type=int, default=20, help="sign-in POSTs timed per kind and server")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes per server")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs)")
    args = parser.parse_args()
    if not shutil.which("redis-server"):
        print("redis-server is not installed (scripts/install-test-deps.sh installs it)")
        return 1
    work = Path(tempfile.mkdtemp(prefix="gazette-signin-flood-"))
    signal.signal(signal.SIGTERM, _stop)
    with run_directory(work, args.keep):
        try:
            print("Machine:", os.cpu_count(), "CPUs;", cpu_model(), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
            with Processes() as procs:
                run(work, procs, args.attempts, args.addresses, args.samples, args.workers)
            return 0
        except KeyboardInterrupt:
            print("\nInterrupted; stopping everything this run started.")
            return 130
        except (RuntimeError, subprocess.SubprocessError) as err:
            print(f"Sign-in flood failed: {err}")
            return 1


if __name__ == "__main__":
    sys.exit(main())
