"""deploy/nginx/gazette.conf, as a newsroom installs it, in front of a Gazette server.

The site file is copied with only what differs on this machine substituted (ports, the checkout
and certificate paths), included into a private nginx configuration (its own prefix, pid, logs
and temporary files, run as the current user), checked with ``nginx -t`` and started in front of
``live_server``; readers' requests must reach Gazette through it."""

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from django.test import override_settings

from gazette.users.models import SignInLockout
from tests.cache.varnish import free_port, wait_for_port
from tests.factories import make_article, site_tree

SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "gazette.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.django_db(transaction=True)


def site_file(tmp: Path, backend: str, http_port: int, tls_port: int) -> str:
    """deploy/nginx/gazette.conf with this machine's ports and paths; each must be found."""
    text = SITE.read_text()
    substitutions = [
        ("server 127.0.0.1:8000;", f"server {backend};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;\n", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;"),
        ("listen [::]:443 ssl http2;\n", ""),
        ("/etc/letsencrypt/live/news.example.org/", f"{tmp}/tls/"),
        ("/srv/gazette/", f"{tmp}/srv/"),
    ]
    for old, new in substitutions:
        assert old in text, f"{SITE.name} no longer has {old!r}"
        text = text.replace(old, new)
    return text


def main_config(tmp: Path, site: Path) -> str:
    """The part Debian's /etc/nginx/nginx.conf plays, private to this test."""
    return f"""daemon off;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    include {site};
}}
"""


@pytest.fixture
def nginx_front(live_server, tmp_path):
    """nginx with deploy/nginx/gazette.conf in front of ``live_server``: yields its HTTP and
    HTTPS base URLs and the folder standing for /srv/gazette."""
    if not Path(NGINX).exists():
        pytest.fail(f"{NGINX} is missing: scripts/install-test-deps.sh installs Debian's nginx package.")
    (tmp_path / "tls").mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=news.example.org"]
        + ["-keyout", str(tmp_path / "tls" / "privkey.pem"), "-out", str(tmp_path / "tls" / "fullchain.pem")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    srv = tmp_path / "srv"
    (srv / "static" / "css").mkdir(parents=True)
    (srv / "media").mkdir()
    backend = urlsplit(live_server.url)
    http_port, tls_port = free_port(), free_port()
    site = tmp_path / "gazette.conf"
    site.write_text(site_file(tmp_path, f"{backend.hostname}:{backend.port}", http_port, tls_port))
    config = tmp_path / "nginx.conf"
    config.write_text(main_config(tmp_path, site))
    command = [NGINX, "-p", str(tmp_path), "-c", str(config)]

    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr

    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        try:
            wait_for_port(tls_port)
        except TimeoutError:
            pytest.fail("nginx did not start:\n" + (tmp_path / "error.log").read_text())
        yield f"http://127.0.0.1:{http_port}", f"https://127.0.0.1:{tls_port}", srv
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_readers_reach_gazette_through_nginx(nginx_front):
    home, _news, _privacy = site_tree()
    article = make_article(title="Ice road closes early", lead_image=False)
    http, https, _srv = nginx_front
    host = {"Host": "news.example.org"}
    with httpx.Client(verify=False, timeout=30) as client:  # noqa: S501 - the test's own self-signed certificate
        front = client.get(https + "/", headers=host)
        story = client.get(https + article.url, headers=host)
        plain = client.get(http + article.url, headers=host)
    assert front.status_code == 200 and home.title in front.text
    assert story.status_code == 200 and "Ice road closes early" in story.text
    # Plain HTTP is sent to HTTPS by nginx itself, before Gazette sees it.
    assert plain.status_code == 301 and plain.headers["Location"] == "https://news.example.org" + article.url


def test_nginx_serves_collected_static_files_itself(nginx_front):
    _http, https, srv = nginx_front
    (srv / "static" / "css" / "site.0123abcd.css").write_text("body { color: #222; }\n")
    with httpx.Client(verify=False, timeout=30) as client:  # noqa: S501 - the test's own self-signed certificate
        answer = client.get(https + "/static/css/site.0123abcd.css", headers={"Host": "news.example.org"})
        missing = client.get(https + "/static/css/absent.css", headers={"Host": "news.example.org"})
    assert answer.status_code == 200 and answer.text == "body { color: #222; }\n"
    assert "immutable" in answer.headers["Cache-Control"]
    assert missing.status_code == 404 and "nginx" in missing.text


@override_settings(GAZETTE_TRUSTED_PROXIES=["127.0.0.1"])
def test_the_readers_address_reaches_gazette_through_nginx(nginx_front, django_user_model):
    """nginx appends the address it was connected from to X-Forwarded-For; with nginx trusted,
    Gazette counts failed sign-ins against that address, not nginx's. The test's client plays a
    load balancer on loopback (trusted too) that names the reader."""
    django_user_model.objects.create_user("editor", "editor@example.org", "correct horse battery staple")
    _http, https, _srv = nginx_front

    def sign_in(reader: str, password: str) -> httpx.Response:
        headers = {"Host": "news.example.org", "X-Forwarded-For": reader}
        with httpx.Client(verify=False, timeout=30, headers=headers) as client:  # noqa: S501 - self-signed
            form = client.get(https + "/admin/login/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
            data = {"username": "editor", "password": password, "csrfmiddlewaretoken": token}
            return client.post(https + "/admin/login/", data=data)

    for _ in range(5):
        sign_in("198.51.100.66", "wrong password")
    assert list(SignInLockout.objects.values_list("ip_address", flat=True)) == ["198.51.100.66"]
    assert sign_in("203.0.113.5", "correct horse battery staple").status_code == 302
