"""``make bench``: Gazette's production stack under wrk, with every figure a ratio measured in the same run.

Starts, on loopback and in a temporary directory: Gazette under granian with production settings
(demo content plus an article with 50 comments and 3 pictures), a second instance without the
page cache (the uncached article: a page-cache miss, fragments on), a third without fragments
either (the cold article), a test-settings instance for comment posts (production
refuses a known CAPTCHA answer), the "bare Django" yardstick (fixed bytes, default middleware),
nginx serving the article's HTML from a file (the ceiling; its gzip beside it for clients that
ask, as browsers do) and, when ``deploy/varnish/gazette.vcl`` exists, Varnish in front of Gazette
as deployed (``gazette.params``, its working directory on a tmpfs), measured in turn with nginx,
beside a second Varnish logging every request; then nginx set up as docs/deploy.md does in
front of Gazette and of Varnish. The article is
measured both without ``Accept-Encoding`` and as browsers ask (gzip), each against nginx asked
the same way. Pages that do not exist in this checkout (city fronts, search, the comment form)
are reported as skipped. Then prints the in-process render time of the article and
Lighthouse's performance score per page.

Figures only, never pass/fail: machines are noisy, so read the ratios. Everything is bounded in
time and every process started is stopped on exit or Ctrl-C.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.stack import (
    PY,
    REPO,
    Processes,
    Site,
    Usage,
    WrkResult,
    cpu_model,
    free_port,
    group_usage,
    http_get,
    lighthouse,
    lighthouse_scores,
    run_wrk,
    tmpfs_dir,
    wait_http,
)
from tests.cache.varnish import varnishd_params

CACHE_HEADERS = {
    "cache-control",
    "age",
    "etag",
    "last-modified",
    "x-cache",
    "cache-tag",
    "surrogate-key",
    "xkey",
    "vary",
}
# Targets, as ratios measured in the same run.
TARGET_UNCACHED_VS_NGINX = 0.013
TARGET_CACHED_VS_BARE = 0.8
TARGET_VARNISH_VS_NGINX = 0.9
# What every browser sends. Varnish keeps pages gzipped, nginx has the page's gzip beside it.
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}

UNIQUE_QUERY_LUA = """
local counter = 0
local prefix = tostring(math.random(1, 1000000000))
request = function()
  counter = counter + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format("GET", wrk.path .. sep .. "bench=" .. prefix .. "-" .. counter)
end
"""

POST_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = [==[{cookie}]==]
wrk.headers["Referer"] = [==[{referer}]==]
local bodies = {{
{bodies}
}}
local threads = 0
local counter = 0
setup = function(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
request = function()
  counter = counter + 1
  local index = ((counter - 1) * {threads} + (offset or 0)) % #bodies + 1
  return wrk.format("POST", nil, nil, bodies[index])
end
"""


def start_nginx(procs: Processes, work: Path, html: bytes, logs: Path) -> str:
    """nginx serving the article's HTML from a file, and to clients that take gzip the file's
    gzip (made beforehand, as ``gzip_static`` expects), with a private prefix and config."""
    root = work / "nginx" / "html"
    root.mkdir(parents=True)
    (root / "article.html").write_bytes(html)
    (root / "article.html.gz").write_bytes(gzip.compress(html, compresslevel=9, mtime=0))
    for d in (work, root.parent, root):
        d.chmod(0o755)
    for f in root.iterdir():
        f.chmod(0o644)
    return _start_nginx(
        procs,
        "nginx",
        work,
        logs,
        f"""root {root};
    gzip_static on;
    location / {{ default_type "text/html; charset=utf-8"; try_files /article.html =404; }}""",
    )


def start_nginx_proxy(procs: Processes, name: str, work: Path, upstream_port: int, logs: Path) -> str:
    """nginx in front of ``upstream_port`` as docs/deploy.md sets it up (gzip on, no TLS)."""
    return _start_nginx(
        procs,
        name,
        work,
        logs,
        """gzip on;
    location / {
      proxy_pass http://upstream; proxy_http_version 1.1;
      proxy_set_header Connection ""; proxy_set_header Host $host;
    }""",
        upstream=f"upstream upstream {{ server 127.0.0.1:{upstream_port}; keepalive 64; }}",
    )


def _start_nginx(procs: Processes, name: str, work: Path, logs: Path, server: str, upstream: str = "") -> str:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        subprocess.run([str(REPO / "scripts" / "install-test-deps.sh")], check=True, timeout=600)
    prefix = work / name
    prefix.mkdir(exist_ok=True)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(f"""
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/tmp-body;
  proxy_temp_path {prefix}/tmp-proxy;
  fastcgi_temp_path {prefix}/tmp-fastcgi;
  uwsgi_temp_path {prefix}/tmp-uwsgi;
  scgi_temp_path {prefix}/tmp-scgi;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  {upstream}
  server {{
    listen 127.0.0.1:{port};
    {server}
  }}
}}
""")
    procs.start(name, [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"], logs)
    url = f"http://127.0.0.1:{port}/"
    wait_http(url, timeout=20)
    return url


def start_varnish(
    procs: Processes,
    work: Path,
    state: Path,
    backend_port: int,
    logs: Path,
    vcl: Path,
    name: str = "varnish",
    params: bool = True,
) -> str | None:
    """Varnish with ``vcl`` (``deploy/varnish/gazette.vcl``), its backend pointed at this run's Gazette,
    its working directory in ``state`` (a tmpfs, as deployed) and the run-time parameters deployed
    beside the VCL (``gazette.params``) unless ``params`` is false."""
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not vcl.exists() or not Path(varnishd).exists():
        return None
    text = vcl.read_text()
    text = re.sub(r'(\.host\s*=\s*)"[^"]*"', r'\1"127.0.0.1"', text, count=1)
    text = re.sub(r'(\.port\s*=\s*)"[^"]*"', rf'\1"{backend_port}"', text, count=1)
    run_vcl = work / f"{name}.vcl"
    run_vcl.write_text(text)
    port = free_port()
    cmd = [
        varnishd,
        "-F",
        "-j",
        "none",
        "-n",
        str(state / name),
        "-a",
        f"127.0.0.1:{port}",
        "-f",
        str(run_vcl),
        "-s",
        "malloc,128m",
        "-p",
        "vcl_path=" + str(vcl.parent),
    ]
    deployed = vcl.with_name("gazette.params")
    if params and deployed.exists():
        cmd += varnishd_params(deployed)
    procs.start(name, cmd, logs)
    url = f"http://127.0.0.1:{port}"
    wait_http(url + "/", timeout=30)
    return url


class _FormParser(HTMLParser):
    """The first form's action and fields: inputs, textareas and selects with their values."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.action is None and (a.get("method") or "").lower() == "post":
            self.action = a.get("action") or ""
            self._in_form = True
        elif self._in_form and tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields[a["name"]] = a.get("value") or ""
        elif self._in_form and tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.fields[a["name"]] = ""
        elif self._in_form and tag == "select" and a.get("name"):
            self.fields[a["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def comment_post_script(
    site: Site, base: str, article_pk: int, work: Path, threads: int, count: int
) -> tuple[Path | None, str, str]:
    """A wrk script posting a valid comment, filled in from the form page; (script, url, note)."""
    form_url = f"{base}/comments/{article_pk}/form/"
    try:
        with urllib.request.urlopen(form_url, timeout=30) as response:  # noqa: S310 - our loopback server
            status, body = response.status, response.read()
            set_cookies = response.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as err:
        status, body, set_cookies = err.code, b"", []
    if status != 200:
        return None, form_url, f"no comment form at /comments/{article_pk}/form/ (HTTP {status})"
    parser = _FormParser()
    parser.feed(body.decode("utf-8", "replace"))
    if parser.action is None:
        return None, form_url, "the comment form page has no POST form"
    fields = {name: value.strip() for name, value in parser.fields.items()}
    for name in fields:
        lname = name.lower()
        if lname.startswith("captcha") and not lname.endswith("_0"):
            fields[name] = "PASSED"  # bench/settings_comments.py: GAZETTE_TEST_CAPTCHA_ANSWER
        elif "email" in lname:
            fields[name] = "reader@example.org"
        elif "name" in lname and not fields[name]:
            fields[name] = "Bench Reader"
        elif ("body" in lname or "text" in lname or "comment" in lname) and not fields[name]:
            fields[name] = "The ferry timetable in the article is right; thank you for checking it."
        elif "location" in lname and not fields[name]:
            fields[name] = "Kolyvan"
    cookies = "; ".join(cookie.split(";", 1)[0] for cookie in set_cookies)
    action = parser.action or form_url
    url = action if action.startswith("http") else base + (action if action.startswith("/") else "/" + action)
    stamps = _fresh_stamps(site, article_pk, count) if "stamp" in fields else []
    bodies = [urlencode({**fields, "stamp": stamp}) for stamp in stamps] or [urlencode(fields)]
    script = work / "post.lua"
    script.write_text(
        POST_LUA.format(
            bodies=",\n".join(f"[==[{body}]==]" for body in bodies), cookie=cookies, referer=form_url, threads=threads
        )
    )
    kind = f"{len(bodies)} distinct one-time form stamps" if stamps else "one fixed body"
    return script, url, f"fields: {', '.join(sorted(fields))}; {kind}"


def _child_json(site: Site, settings_module: str, code: str, timeout: int):
    """Run ``code`` in a child Python with the bench site's settings; returns its last line as JSON.

    Raises RuntimeError with the child's error output when it fails.
    """
    result = subprocess.run(
        [str(PY), "-c", code],
        cwd=REPO,
        env=site.env(settings_module),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(result.stderr.strip()[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def _fresh_stamps(site: Site, article_pk: int, count: int) -> list[str]:
    """One-time form stamps (the comment form refuses a replayed one), made as the form makes them."""
    code = (
        "import json, django; django.setup()\n"
        "from gazette.comments.forms import make_stamp\n"
        f"print(json.dumps([make_stamp({article_pk}) for _ in range({count})]))"
    )
    try:
        return _child_json(site, "bench.settings_comments", code, timeout=120)
    except RuntimeError as err:
        print(f"  (no fresh form stamps: {str(err).splitlines()[-1:]}; posting one fixed body)")
        return []


def render_times(site: Site, path: str, renders: int, settings_module: str) -> dict[str, float]:
    """Median/p90 in-process time of a request for ``path`` through Gazette's whole Django stack.

    Each request has a query string of its own, so no page cache could answer it; with
    ``bench.settings_uncached`` the fragments stay on, with ``bench.settings_cold`` they are off.
    """
    code = f"""
import io, json, statistics, time, django
django.setup()
from django.core.handlers.wsgi import WSGIHandler
handler = WSGIHandler()
def start_response(status, headers):
    start_response.status = status
def environ(i):
    return {{"REQUEST_METHOD": "GET", "PATH_INFO": {path!r}, "QUERY_STRING": f"render={{i}}",
             "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
             "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http", "SERVER_PROTOCOL": "HTTP/1.1"}}
times = []
for i in range({renders + 10}):
    start = time.perf_counter()
    body = b"".join(handler(environ(i), start_response))
    times.append(time.perf_counter() - start)
    assert start_response.status.startswith("200"), start_response.status
times = sorted(times[10:])
print(json.dumps({{"median_ms": statistics.median(times) * 1000, "p90_ms": times[int(len(times) * 0.9)] * 1000}}))
"""
    return _child_json(site, settings_module, code, timeout=300)


def _removed_middleware(site: Site) -> list[str]:
    code = (
        "import json, django; django.setup(); from django.conf import settings;"
        " print(json.dumps(settings.PAGE_CACHE_MIDDLEWARE_REMOVED))"
    )
    return _child_json(site, "bench.settings_uncached", code, timeout=60)


def _bench_comments(site: Site) -> int:
    """How many comments the benchmark's reader has stored (a 200 may be a form error)."""
    with sqlite3.connect(site.var / "db.sqlite3", timeout=30) as db:
        return db.execute("SELECT COUNT(*) FROM comments_readercomment WHERE author_name = 'Bench Reader'").fetchone()[
            0
        ]


def line(label: str, r: WrkResult | None, nginx: float, note: str = "", target: str = "") -> None:
    if r is None:
        print(f"  {label:<40} skipped: {note}")
        return
    bad = f"  [{r.bad} non-2xx/3xx]" if r.bad else ""
    err = f"  [socket errors: {r.errors}]" if r.errors else ""
    print(
        f"  {label:<40} {r.rps:>10.0f} req/s  p50 {r.p50_ms:>8.2f} ms  p99 {r.p99_ms:>8.2f} ms"
        f"  {r.rps / nginx:>7.4f}x nginx{bad}{err}{('  ' + target) if target else ''}"
    )


def first_and_last(label: str, first: WrkResult, last: WrkResult, ceiling: float, role: str = "ceiling") -> None:
    """A baseline measured first and again last: a noisy machine moves both ends of a ratio."""
    line(label, first, ceiling, target=f"(the {role}, first)")
    line(f"{label.split(',')[0]}, again at the end", last, ceiling, target="(ratios use the mean)")


def per_request(used_by: dict[str, tuple[Usage, int]], key: str) -> Usage | None:
    """CPU microseconds and context switches per request of the server measured as ``key``."""
    if key not in used_by:
        return None
    used, requests = used_by[key]
    return Usage(used.cpu_seconds / requests * 1e6, used.switches / requests)


def combined(runs: list[WrkResult]) -> WrkResult:
    """Several wrk runs of one URL as one figure: mean requests/s, median p50, worst p99."""
    return WrkResult(
        sum(r.rps for r in runs) / len(runs),
        sorted(r.p50_ms for r in runs)[len(runs) // 2],
        max(r.p99_ms for r in runs),
        sum(r.requests for r in runs),
        sum(r.bad for r in runs),
        "; ".join(r.errors for r in runs if r.errors),
    )


def verdict(value: float, target: float) -> str:
    return f"target >= {target}: {'met' if value >= target else 'NOT met'} ({value:.4f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per figure")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes per server")
    parser.add_argument(
        "--rounds", type=int, default=4, help="rounds of nginx and Varnish measured in turn for the Varnish target"
    )
    parser.add_argument("--renders", type=int, default=200, help="in-process renders for the median")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse scores")
    parser.add_argument(
        "--vcl", type=Path, default=REPO / "deploy" / "varnish" / "gazette.vcl", help="the Varnish configuration"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, reports)")
    parser.add_argument("--spike-seconds", type=int, default=20, help="seconds per spike scenario (bench/spike.py)")
    parser.add_argument("--quick", action="store_true", help="short spike scenarios (8 s)")
    parser.add_argument("--no-spike", action="store_true", help="skip the spike with faults (bench/spike.py)")
    parser.add_argument("--no-search", action="store_true", help="skip search at 100,000 articles (search_bench.py)")
    args = parser.parse_args()

    for tool in ("wrk",):
        if not shutil.which(tool):
            subprocess.run([str(REPO / "scripts" / "install-test-deps.sh")], check=True, timeout=600)

    work = Path(tempfile.mkdtemp(prefix="gazette-bench-"))
    # Varnish's working directory on a tmpfs, as docs/deploy.md mounts one; else beside the rest.
    state = tmpfs_dir("gazette-bench-varnish-") or work
    procs = Processes()

    def _stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    started = time.monotonic()
    try:
        return _bench(args, work, state, procs)
    except KeyboardInterrupt:
        print("\nInterrupted; stopping everything this run started.")
        return 130
    finally:
        procs.close()
        if args.keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
        if state != work:
            shutil.rmtree(state, ignore_errors=True)
        print(f"Total time: {time.monotonic() - started:.0f}s")


def _bench(args, work: Path, state: Path, procs: Processes) -> int:
    print("Machine:", os.cpu_count(), "CPUs;", cpu_model())
    print(f"wrk: {args.connections} connections, {args.threads} threads, {args.duration}s per figure")
    print("Preparing a private site (migrate, collectstatic, demo content, 50 comments + 3 pictures)...", flush=True)
    site = Site(work / "site")
    t0 = time.monotonic()
    seeded = site.prepare()
    print(f"  prepared in {time.monotonic() - t0:.0f}s", flush=True)
    gazette = site.start_server(procs, "gazette", workers=args.workers)
    uncached = site.start_server(procs, "gazette-uncached", settings="bench.settings_uncached", workers=args.workers)
    cold = site.start_server(procs, "gazette-cold", settings="bench.settings_cold", workers=args.workers)
    article = gazette + seeded.article_path
    status, _headers, html = http_get(article)
    if status != 200:
        raise RuntimeError(f"{article} answered {status}")
    (site.var / "article.html").write_bytes(html)
    bare = site.start_server(procs, "bare-django", app="bench.bare_wsgi:application", workers=args.workers)
    nginx = start_nginx(procs, work, html, site.logs)
    print(f"Article: {seeded.article_path} ({len(html)} bytes of HTML)")
    _status, cached_headers, _body = http_get(article)
    print(
        "  cached article's headers:",
        {k: v for k, v in cached_headers.items() if k.lower() in CACHE_HEADERS} or "no caching headers",
    )
    print("  uncached server leaves out:", _removed_middleware(site) or "no middleware (none mentions a cache)")

    city_path = f"/city/{seeded.city_slug}/" if seeded.city_slug else None
    search_path = "/search/?q=ferry"
    unique = work / "unique.lua"
    unique.write_text(UNIQUE_QUERY_LUA)

    # CPU and context switches of a server's processes, and the requests they answered, summed
    # over every figure measured of it: per request, they are the mean over the rounds.
    used_by: dict[str, tuple[Usage, int]] = {}

    def measure(
        url: str, script: Path | None = None, server: str = "", headers: dict[str, str] | None = None
    ) -> WrkResult:
        http_get(url, headers=headers)  # warm the page cache (a no-op where there is none)
        group = procs.group_of(server) if server else None
        before = group_usage(group) if group else Usage()
        result = run_wrk(url, args.duration, args.connections, args.threads, script, headers)
        if group and result.requests:
            used = group_usage(group) - before
            key = server + (" gzip" if headers else "")
            total, requests = used_by.get(key, (Usage(), 0))
            used_by[key] = (
                Usage(total.cpu_seconds + used.cpu_seconds, total.switches + used.switches),
                requests + result.requests,
            )
        return result

    def exists(url: str) -> bool:
        return http_get(url)[0] == 200

    results: dict[str, tuple[WrkResult | None, str]] = {}
    print("Measuring...", flush=True)
    results["nginx"] = (measure(nginx, server="nginx"), "")
    _s, gzip_headers, _b = http_get(nginx, headers=BROWSER)
    if gzip_headers.get("Content-Encoding") != "gzip":
        raise RuntimeError(f"nginx did not send the page's gzip (gzip_static): {gzip_headers}")
    results["nginx_gzip"] = (measure(nginx, server="nginx", headers=BROWSER), "")
    results["bare"] = (measure(bare + "/"), "")
    results["cached"] = (measure(article), "")
    results["cached_gzip"] = (measure(article, headers=BROWSER), "")
    front = start_nginx_proxy(procs, "nginx-gazette", work, int(gazette.rsplit(":", 1)[1]), site.logs)
    results["nginx_gazette"] = (measure(front.rstrip("/") + seeded.article_path, headers=BROWSER), "")
    results["uncached"] = (measure(uncached + seeded.article_path, unique), "")
    results["cold"] = (measure(cold + seeded.article_path, unique), "")
    results["front"] = (measure(gazette + "/"), "")
    if city_path and exists(gazette + city_path):
        results["city"] = (measure(gazette + city_path), "")
    else:
        results["city"] = (None, f"{city_path or '/city/<slug>/'} does not exist in this checkout")
    if exists(gazette + search_path):
        results["search"] = (measure(gazette + search_path), "")
        results["search_uncached"] = (measure(uncached + search_path, unique), "")
    else:
        results["search"] = (None, "/search/ does not exist in this checkout")
    try:
        varnish = start_varnish(procs, work, state, int(gazette.rsplit(":", 1)[1]), site.logs, args.vcl)
        varnish_failure = ""
    except RuntimeError as err:
        varnish = None
        log = (site.logs / "varnish.log").read_text(errors="replace")[-1500:]
        varnish_failure = f"Varnish did not start: {err}\n{log}"
    if varnish:
        http_get(varnish + seeded.article_path, headers=BROWSER)
        _s, vheaders, _b = http_get(varnish + seeded.article_path, headers=BROWSER)
        hit = {k.lower(): v for k, v in vheaders.items()}
        note = ", ".join(f"{name}: {hit.get(name.lower(), '-')}" for name in ("Age", "X-Cache", "Content-Encoding"))
        full_log = start_varnish(
            procs,
            work,
            state,
            int(gazette.rsplit(":", 1)[1]),
            site.logs,
            args.vcl,
            name="varnish-full-log",
            params=False,
        )
        http_get(full_log + seeded.article_path, headers=BROWSER)
        # The target's two sides are measured in turn, round after round, not minutes apart:
        # on a noisy machine one figure moves by a tenth either way, and so does the machine
        # between the first and the last figure of a run.
        turns = {
            "nginx_gzip_turns": (nginx, "nginx"),
            "varnish": (varnish + seeded.article_path, "varnish"),
            "varnish_full_log": (full_log + seeded.article_path, "varnish-full-log"),
        }
        runs: dict[str, list[WrkResult]] = {key: [] for key in turns}
        for _round in range(args.rounds):
            for key, (url, server) in turns.items():
                runs[key].append(measure(url, server=server, headers=BROWSER))
        for key, measured in runs.items():
            results[key] = (combined(measured), note if key == "varnish" else "")
        turn_ratios = {
            key: [r.rps / n.rps for r, n in zip(runs[key], runs["nginx_gzip_turns"], strict=True)]
            for key in ("varnish", "varnish_full_log")
        }
        results["varnish_plain"] = (measure(varnish + seeded.article_path, server="varnish"), "")
        front = start_nginx_proxy(procs, "nginx-varnish", work, int(varnish.rsplit(":", 1)[1]), site.logs)
        results["nginx_varnish"] = (measure(front.rstrip("/") + seeded.article_path, headers=BROWSER), "")
    else:
        results["varnish"] = (None, varnish_failure or f"{args.vcl} does not exist in this checkout")

    comments = site.start_server(procs, "gazette-comments", settings="bench.settings_comments", workers=args.workers)
    script, post_url, note = comment_post_script(
        site, comments, seeded.article_pk, work, args.threads, count=max(2000, args.duration * 400)
    )
    if script:
        before = _bench_comments(site)
        posted = run_wrk(post_url, args.duration, args.connections, args.threads, script)
        stored = _bench_comments(site) - before
        note += f"; {stored} comments stored from {posted.requests} posts"
        results["comments"] = (posted, note)
    else:
        results["comments"] = (None, note)

    print("Rendering in-process...", flush=True)
    render = render_times(site, seeded.article_path, args.renders, "bench.settings_uncached")
    cold_render = render_times(site, seeded.article_path, max(20, args.renders // 4), "bench.settings_cold")
    results["bare_after"] = (measure(bare + "/"), "")
    results["nginx_after"] = (measure(nginx), "")
    results["nginx_gzip_after"] = (measure(nginx, headers=BROWSER), "")

    # The ceiling is measured first and again last: a noisy machine moves both ends of a ratio.
    nginx_rps = (results["nginx"][0].rps + results["nginx_after"][0].rps) / 2
    bare_rps = (results["bare"][0].rps + results["bare_after"][0].rps) / 2
    print()
    print("Results (requests/s, latency percentiles, ratio to nginx serving the same HTML from a file):")
    first_and_last("nginx, article HTML from a file", results["nginx"][0], results["nginx_after"][0], nginx_rps)
    first_and_last("bare Django, fixed bytes", results["bare"][0], results["bare_after"][0], nginx_rps, "yardstick")
    cached = results["cached"][0]
    line(
        "article, Gazette stack (page cache)",
        cached,
        nginx_rps,
        target=f"{cached.rps / bare_rps:.3f}x bare Django; " + verdict(cached.rps / bare_rps, TARGET_CACHED_VS_BARE),
    )
    un = results["uncached"][0]
    line(
        "article, uncached (no page cache)", un, nginx_rps, target=verdict(un.rps / nginx_rps, TARGET_UNCACHED_VS_NGINX)
    )
    line("article, cold (no caches at all)", results["cold"][0], nginx_rps, target="(for comparison)")
    line("front page, Gazette stack", results["front"][0], nginx_rps)
    line("city front, Gazette stack", results["city"][0], nginx_rps, note=results["city"][1])
    line("search ?q=ferry, Gazette stack", results["search"][0], nginx_rps, note=results["search"][1])
    if "search_uncached" in results:
        line("search ?q=ferry, uncached", results["search_uncached"][0], nginx_rps)
    comment_note = results["comments"][1]
    line("comment POST (test settings)", results["comments"][0], nginx_rps, note=comment_note)
    if results["comments"][0]:
        print(f"    comment form {comment_note}")
    vr = results["varnish"][0]
    if vr:
        line(
            "article behind Varnish, no gzip asked", results["varnish_plain"][0], nginx_rps, target="(Varnish gunzips)"
        )
    gzip_rps = (results["nginx_gzip"][0].rps + results["nginx_gzip_after"][0].rps) / 2
    print()
    print(
        "As browsers ask (Accept-Encoding: gzip), ratio to nginx serving the page's gzip from a file"
        " (nginx gzip_static):"
    )
    first_and_last(
        "nginx, the page's gzip from a file", results["nginx_gzip"][0], results["nginx_gzip_after"][0], gzip_rps
    )
    cached_gzip = results["cached_gzip"][0]
    line(
        "article, Gazette stack (page cache)",
        cached_gzip,
        gzip_rps,
        target=f"{cached_gzip.rps / bare_rps:.3f}x bare Django",
    )
    line("nginx (gzip on) -> Gazette, as deployed", results["nginx_gazette"][0], gzip_rps, target="(docs/deploy.md)")
    if vr:
        turns_rps = results["nginx_gzip_turns"][0].rps
        print(f"  In turn, {args.rounds} rounds of nginx, Varnish as deployed, Varnish logging every request:")
        line("nginx, the page's gzip from a file", results["nginx_gzip_turns"][0], turns_rps, target="(the ceiling)")
        line(
            "article behind Varnish, as deployed",
            vr,
            turns_rps,
            target=verdict(vr.rps / turns_rps, TARGET_VARNISH_VS_NGINX),
        )
        print(f"    Varnish answer headers: {results['varnish'][1]}")
        print("    ratio in each round:", ", ".join(f"{r:.3f}" for r in turn_ratios["varnish"]))
        line(
            "  the same, Varnish logging every request",
            results["varnish_full_log"][0],
            turns_rps,
            target="(varnishd's default vsl_mask, no gazette.params)",
        )
        print("    ratio in each round:", ", ".join(f"{r:.3f}" for r in turn_ratios["varnish_full_log"]))
        line(
            "nginx (gzip on) -> Varnish, as deployed", results["nginx_varnish"][0], gzip_rps, target="(docs/deploy.md)"
        )
    else:
        line("article behind Varnish", None, gzip_rps, note=results["varnish"][1])
    for kind, asked, varnish_name in (
        ("", "no gzip asked", "varnish"),
        (" gzip", "gzip asked", "varnish"),
        (" gzip", "gzip asked, Varnish logging every request", "varnish-full-log"),
    ):
        nginx_use, varnish_use = per_request(used_by, "nginx" + kind), per_request(used_by, varnish_name + kind)
        if nginx_use and varnish_use:
            print(
                f"    {asked}: CPU per request nginx {nginx_use.cpu_seconds:.1f} us (from a file),"
                f" Varnish {varnish_use.cpu_seconds:.1f} us (from its memory);"
                f" context switches per request nginx {nginx_use.switches:.2f}, Varnish {varnish_use.switches:.2f}"
            )
    print()
    print(
        f"In-process request for the uncached article, whole Django stack ({args.renders} requests):\n"
        f"  page-cache miss (fragments on, as in production): median {render['median_ms']:.2f} ms,"
        f" p90 {render['p90_ms']:.2f} ms\n"
        f"  cold (no page cache, no fragments):               median {cold_render['median_ms']:.2f} ms,"
        f" p90 {cold_render['p90_ms']:.2f} ms"
    )

    if not args.no_lighthouse:
        print()
        print("Lighthouse performance (mobile), goal 100:")
        pages = [("front", "/"), ("article", seeded.article_path)]
        if results["city"][0]:
            pages.append(("city", city_path))
        for name, path in pages:
            try:
                report = lighthouse(gazette + path, ["performance"], work, name)
                print(f"  {name:<10} {path:<50} {lighthouse_scores(report)['performance']}")
            except (RuntimeError, OSError) as err:
                print(f"  {name:<10} {path:<50} failed: {err}")

    from bench.admin_bench import run_on_site

    print()
    print("Wagtail's page editor: the longest article against a plain page (bench/admin_bench.py):")
    run_on_site(site)
    print()
    from bench.search_flood import flood_figures

    flood_figures(site, procs, work, args.duration, args.workers)
    print()
    from bench.signin_flood import run as signin_flood

    signin_flood(work / "signin-flood", procs, attempts=1000, addresses=10, samples=20, workers=args.workers)
    if not args.no_spike:
        from bench.spike import run_spike

        run_spike(work, 8 if args.quick else args.spike_seconds)
    print()
    print("Comment scorer: decisions settled without a moderator (bench/comments_classifier.py):", flush=True)
    subprocess.run([sys.executable, str(REPO / "bench" / "comments_classifier.py")], check=False, timeout=1800)
    print()
    print("Proofreading, English and Russian (bench/proofread_bench.py):", flush=True)
    subprocess.run([sys.executable, str(REPO / "bench" / "proofread_bench.py")], check=False, timeout=1800)
    print("City suggestions from Russian text (bench/city_suggest_bench.py):", flush=True)
    subprocess.run([sys.executable, str(REPO / "bench" / "city_suggest_bench.py")], check=False, timeout=1800)
    comment_spike_passed = True
    if not args.no_spike:
        from bench.comment_spike import run_comment_spike

        comment_spike_passed = run_comment_spike(work, 15 if args.quick else 60)
    if not args.no_search:
        print("\nSearch at 1,000 and 100,000 articles, SQLite and PostgreSQL (bench/search_bench.py):", flush=True)
        subprocess.run([sys.executable, str(REPO / "bench" / "search_bench.py")], check=False)
    print()
    print("Serving the archive: 1,000 vs 100,000 articles (bench/archive_bench.py):", flush=True)
    archive = [sys.executable, str(REPO / "bench" / "archive_bench.py"), "--duration", str(args.duration)]
    subprocess.run([*archive, "--workers", str(args.workers)], check=False, timeout=3600)
    print()
    print("WordPress import of a synthetic archive (bench/import_bench.py):", flush=True)
    # 100,000 posts is the target size: about 10 minutes of CPU (the import prints its CPU time),
    # an hour of wall time on this machine when it is shared. Ask for it with
    # GAZETTE_BENCH_IMPORT_POSTS=100000.
    import_posts = os.environ.get("GAZETTE_BENCH_IMPORT_POSTS", "2000" if args.quick else "10000")
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "import_bench.py"), "--posts", import_posts],
        check=False,
        timeout=4 * 3600,
    )
    # The comment spike checks what was stored: a server error or a comment lost, stored twice
    # or decided otherwise than its rules give fails the run.
    return 0 if comment_spike_passed else 1


if __name__ == "__main__":
    sys.exit(main())
