"""Starting Debian's varnishd with ``deploy/varnish/gazette.vcl`` in front of a test server."""

import contextlib
import functools
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "gazette.vcl"
PARAMS = VCL.with_name("gazette.params")
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"


def varnishd_params(path: Path = PARAMS) -> list[str]:
    """varnishd's ``-p name=value`` arguments from ``deploy/varnish/gazette.params``, the
    ``VARNISHD_PARAMS`` its systemd unit reads (EnvironmentFile: ``NAME="value"``, ``#`` comments)."""
    for row in path.read_text().splitlines():
        name, sep, value = row.partition("=")
        if sep and not row.lstrip().startswith("#") and name.strip() == "VARNISHD_PARAMS":
            # systemd drops the quotes; an unbraced $VARNISHD_PARAMS then splits at whitespace.
            return " ".join(shlex.split(value)).split()
    raise ValueError(f"{path} sets no VARNISHD_PARAMS")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(url: str, method: str = "GET", timeout: float = 30.0) -> int:
    """Poll ``url`` until an HTTP answer comes back (any status); returns that status.

    A listening port is not enough for varnishd: its manager opens the listeners before the
    child that compiles the VCL and answers requests has started."""
    deadline = time.monotonic() + timeout
    while True:
        request = urllib.request.Request(url, method=method)
        try:
            with urllib.request.urlopen(request, timeout=1) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code
        except OSError as err:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} gave no answer within {timeout:.0f} s: {err}") from err
        time.sleep(0.05)


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


@contextlib.contextmanager
def running_varnish(backend_host: str, backend_port: int):
    """Yield the reader and purge URLs (``http://127.0.0.1:<port>``) of a private varnishd and
    its state directory (for ``varnish_counters``); stopped and removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="gazette-varnish-"))
    workdir.chmod(0o755)
    vcl = VCL.read_text().replace('.host = "127.0.0.1";', f'.host = "{backend_host}";')
    vcl = vcl.replace('.port = "8000";', f'.port = "{backend_port}";')
    (workdir / "gazette.vcl").write_text(vcl)
    (workdir / "gazette.vcl").chmod(0o644)
    port, purge_port = free_port(), free_port()
    command = [
        VARNISHD,
        "-F",
        "-n",
        str(workdir / "state"),
        "-a",
        f"127.0.0.1:{port}",
        "-a",
        f"purge=127.0.0.1:{purge_port}",
        "-f",
        str(workdir / "gazette.vcl"),
        "-s",
        "malloc,32m",
        "-T",
        "none",
        # Bans are checked at lookup; the lurker just tidies up, so let it run often.
        "-p",
        "ban_lurker_sleep=0.01",
        # Each worker adds its counts to varnishstat's after every job, not every tenth.
        "-p",
        "thread_stats_rate=0",
        # As deployed (its systemd unit passes the same).
        *varnishd_params(),
    ]
    # Ready once Varnish itself answers: a PURGE on the readers' listener is refused by the VCL
    # (405) without reaching the backend or touching the cache.
    ready = functools.partial(wait_until_answering, f"http://127.0.0.1:{port}/", "PURGE")
    with _serving("varnishd", command, port, workdir, workdir / "varnishd.log", ready):
        yield f"http://127.0.0.1:{port}", f"http://127.0.0.1:{purge_port}", workdir / "state"


def varnish_counters(state: Path, *names: str, settle: float = 0.3) -> dict[str, int]:
    """Varnish's own counters (``varnishstat``), such as ``MAIN.n_gzip``, by name, once they
    have not moved for ``settle`` seconds: a worker adds its counts just after it answers."""
    command = [shutil.which("varnishstat") or "/usr/bin/varnishstat", "-n", str(state), "-1"]
    for name in names:
        command += ["-f", name]

    def read() -> dict[str, int]:
        out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=10).stdout
        return {row.split()[0]: int(row.split()[1]) for row in out.splitlines() if row.strip()}

    deadline = time.monotonic() + 5
    last = read()
    while time.monotonic() < deadline:
        time.sleep(settle)
        now = read()
        if now == last:
            break
        last = now
    return last


def varnish_log(state: Path, until: str, timeout: float = 5.0) -> list[tuple[str, str]]:
    """(tag, data) of every record in Varnish's shared-memory log (``varnishlog -d``), once one
    tagged ``until`` is there: a worker writes its records when its transaction ends."""
    command = [shutil.which("varnishlog") or "/usr/bin/varnishlog", "-n", str(state), "-d", "-g", "raw"]
    deadline = time.monotonic() + timeout
    while True:
        out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=10).stdout
        # Each row: vxid, tag, side (b, c or -), then the data.
        records = [(row.split(None, 3) + [""])[1:4:2] for row in out.splitlines() if len(row.split()) >= 3]
        if any(tag == until for tag, _data in records) or time.monotonic() > deadline:
            return [(tag, data.strip()) for tag, data in records]
        time.sleep(0.1)


@contextlib.contextmanager
def _serving(name: str, command: list[str], port: int, workdir: Path, log_path: Path, ready=None):
    """Run ``command`` until the block ends, once it is ready (``ready()`` returns, or else it
    listens on ``port``); then stop it and remove ``workdir``. Its output goes to ``log_path``,
    shown if it does not start."""
    log = log_path.open("a")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            if ready is None:
                wait_for_port(port)
            else:
                ready()
        except TimeoutError as err:
            raise RuntimeError(f"{name} did not start:\n" + log_path.read_text()) from err
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@contextlib.contextmanager
def running_nginx(upstream_port: int):
    """Yield ``http://127.0.0.1:<port>`` of a private nginx proxying to ``upstream_port`` on
    loopback as the `location /` of deploy/nginx/gazette.conf does (without TLS): how readers reach Varnish."""
    workdir = Path(tempfile.mkdtemp(prefix="gazette-nginx-"))
    port = free_port()
    (workdir / "nginx.conf").write_text(
        f"""daemon off;
master_process off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    gzip on;
    client_body_temp_path {workdir}/body; proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi; uwsgi_temp_path {workdir}/uwsgi; scgi_temp_path {workdir}/scgi;
    upstream gazette {{ server 127.0.0.1:{upstream_port}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://gazette;
            proxy_http_version 1.1; proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""
    )
    command = [NGINX, "-p", str(workdir), "-c", str(workdir / "nginx.conf")]
    with _serving("nginx", command, port, workdir, workdir / "error.log"):
        yield f"http://127.0.0.1:{port}"
