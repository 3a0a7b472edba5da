"""Readers of cached pages while search clients flood the same server: how much slower do they get?

Search results are never cached, so every search runs queries. This measures the cached
article's latency on the production stack of ``bench/stack.py`` (granian, production settings),
first alone, then while ``--clients`` wrk connections search (a different word, order and page
each time), and prints the ratio of the two (target: no more than 2x). Two reader loads:
``--readers`` connections (default 32, as ``make bench`` reads cached pages) beside a flood
without pause, then ``--few-readers`` (default 4) beside a flood without pause and one where
each client searches once a second. Three servers, each measured in turn:

- as deployed, every search from one address (loopback): the per-address rate
  (``GAZETTE_SEARCH_RATE``) answers most of the flood with 429;
- ``bench/settings_search_addresses.py``: no rate limit, standing for clients from many
  addresses; only the per-process cap (``GAZETTE_SEARCH_CONCURRENCY``) answers 503;
- ``bench/settings_search_unlimited.py``: neither limit, for comparison.

For each it also prints what the flood got (requests per second, count per HTTP status).
Figures only, never pass/fail. ``make bench`` runs it after its own figures on the same site;
alone: ``.venv/bin/python bench/search_flood.py [--duration S] [--clients N] [--readers N] [--few-readers N]``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.stack import WRK_TIMEOUT_MARGIN, Processes, Site, WrkResult, cpu_model, http_get, run_wrk

TARGET_RATIO = 2.0
SERVERS = [
    ("one address, as deployed (rate limit + cap)", "bench.settings"),
    ("one address per client, as deployed (rate limit + cap)", "bench.settings_search_clients"),
    ("many addresses (cap only)", "bench.settings_search_addresses"),
    ("no limits (for comparison)", "bench.settings_search_unlimited"),
]
WORDS = ["ferry", "river", "ice", "road", "council", "winter", "school", "city", "bridge", "museum", "train", "water"]

FLOOD_LUA = """
local words = {%(words)s}
local counter = 0
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
init = function(args)
  statuses = {}
end
request = function()
  counter = counter + 1
  local word = words[counter %% #words + 1]
  local order = (counter %% 3 == 0) and "newest" or "relevance"
  local page = counter %% 2 + 1
  -- Each request names one of the clients' addresses (read only by settings_search_clients).
  local client = "198.51.100." .. (counter %% %(clients)d + 1)
  local path = "/search/?q=" .. word .. "&order=" .. order .. "&page=" .. page
  return wrk.format("GET", path, {["X-Bench-Client"] = client})
end
%(delay)s
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %%d %%d\\n", status, count))
  end
end
"""


def start_flood(base: str, clients: int, duration: int, script: Path, log: Path) -> subprocess.Popen:
    """wrk searching without pause from ``clients`` connections, in the background."""
    threads = min(2, clients)
    cmd = ["wrk", "-s", str(script), f"-t{threads}", f"-c{clients}", f"-d{duration}s", "--timeout", "10s", base + "/"]
    return subprocess.Popen(cmd, stdout=log.open("wb"), stderr=subprocess.STDOUT, process_group=0)


def flood_summary(proc: subprocess.Popen, log: Path, timeout: float) -> str:
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    out = log.read_text(errors="replace")
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    statuses = sorted((int(s), int(n)) for s, n in re.findall(r"^status (\d+) (\d+)$", out, re.M))
    errors = re.search(r"Socket errors: (.*)", out)
    mix = ", ".join(f"{n} x {s}" for s, n in statuses) or "no responses"
    return f"{float(rps.group(1)) if rps else 0:.0f} searches/s answered ({mix})" + (
        f"; socket errors: {errors.group(1)}" if errors else ""
    )


NO_PAUSE, ONCE_A_SECOND = ("searching without pause", 0), ("each searching once a second", 1000)


def reader_loads(readers: int, few_readers: int) -> list[tuple[int, list[tuple[str, int]]]]:
    """(reader connections, floods to measure beside them): the realistic reader load beside the
    flood without pause, then a few readers beside both floods (the figures measured first)."""
    loads = [(readers, [NO_PAUSE])]
    if few_readers and few_readers != readers:
        loads.append((few_readers, [NO_PAUSE, ONCE_A_SECOND]))
    return loads


def flood_script(work: Path, pause_ms: int, clients: int) -> Path:
    script = work / f"flood-{pause_ms}.lua"
    delay = f"delay = function() return {pause_ms} end" if pause_ms else ""
    words = ", ".join(f'"{w}"' for w in WORDS)
    script.write_text(FLOOD_LUA % {"words": words, "delay": delay, "clients": clients})
    return script


def during_flood(base: str, article: str, work: Path, duration: int, clients: int, readers: int, pause_ms: int):
    """The cached article's figures while ``clients`` connections search; and what the flood got."""
    log = work / f"flood-{base.rsplit(':', 1)[1]}-{readers}-{pause_ms}.log"
    flood = start_flood(base, clients, duration + 4, flood_script(work, pause_ms, clients), log)
    try:
        time.sleep(2)  # let the flood fill every worker first
        during = run_wrk(base + article, duration, readers, reader_threads(readers))
    finally:
        got = flood_summary(flood, log, timeout=duration + WRK_TIMEOUT_MARGIN)
    return during, got


def figures(r: WrkResult) -> str:
    bad = f"  [{r.bad} non-2xx]" if r.bad else ""
    return f"p50 {r.p50_ms:8.2f} ms  p99 {r.p99_ms:8.2f} ms  {r.rps:8.0f} req/s{bad}"


def reader_threads(readers: int) -> int:
    """wrk threads for the readers: two (as ``make bench`` uses) once there are enough connections."""
    return 2 if readers >= 8 else 1


def flood_figures(
    site: Site,
    procs: Processes,
    work: Path,
    duration: int,
    workers: int,
    clients: int = 50,
    readers: int = 32,
    few_readers: int = 4,
) -> None:
    """Start the three servers on ``site`` (prepared) one after the other and print the figures."""
    article = site.seeded.article_path
    loads = reader_loads(readers, few_readers)
    print(
        f"Cached article read by {' then '.join(str(load) for load, _ in loads)} wrk connections, alone and"
        f" beside {clients} search connections ({duration}s each; target: at most {TARGET_RATIO:g}x slower):"
    )
    for label, settings in SERVERS:
        name = "search-flood-" + settings.rsplit(".", 1)[1].replace("_", "-")
        base = site.start_server(procs, name, settings=settings, workers=workers)
        http_get(base + article)  # into the page cache
        http_get(base + "/search/?q=ferry")
        print(f"  {label}:")
        for load, floods in loads:
            alone = run_wrk(base + article, duration, load, reader_threads(load))
            print(f"    {f'{load} readers alone:':<56}{figures(alone)}")
            for kind, pause_ms in floods:
                during, got = during_flood(base, article, work, duration, clients, load, pause_ms)
                p50, p99 = during.p50_ms / alone.p50_ms, during.p99_ms / alone.p99_ms
                verdict = "met" if max(p50, p99) <= TARGET_RATIO else "NOT met"
                print(f"    {f'{load} readers, {clients} clients {kind}:':<56}{figures(during)}")
                print(
                    f"      ratio p50 {p50:.2f}x, p99 {p99:.2f}x (target <= {TARGET_RATIO:g}x: {verdict});"
                    f" the flood: {got}"
                )


def _stop(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per figure")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes per server")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs)")
    parser.add_argument("--clients", type=int, default=50, help="search connections in the flood")
    parser.add_argument(
        "--readers", type=int, default=32, help="wrk connections reading the cached article (as make bench)"
    )
    parser.add_argument("--few-readers", type=int, default=4, help="a second, light reader load (0: skip it)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (scripts/install-test-deps.sh installs it)")
        return 1
    work = Path(tempfile.mkdtemp(prefix="gazette-search-flood-"))
    procs = Processes()
    signal.signal(signal.SIGTERM, _stop)
    started = time.monotonic()
    try:
        print("Machine:", os.cpu_count(), "CPUs;", cpu_model(), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
        print("Preparing a private site (migrate, collectstatic, demo content)...", flush=True)
        site = Site(work / "site")
        site.prepare()
        flood_figures(site, procs, work, args.duration, args.workers, args.clients, args.readers, args.few_readers)
        return 0
    except KeyboardInterrupt:
        print("\nInterrupted; stopping everything this run started.")
        return 130
    finally:
        procs.close()
        if args.keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
        print(f"Total time: {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    sys.exit(main())
