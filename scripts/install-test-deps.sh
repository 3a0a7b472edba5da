#!/usr/bin/env bash
# Installs the system packages the test suite needs, only those that are missing.
# Debian/Ubuntu with apt-get (as root, or with sudo); elsewhere, says what to install.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ]; }
have /usr/bin/chromium || need+=(chromium)
have /usr/lib/postgresql/15/bin/initdb || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
have redis-server || need+=(redis-server)
have varnishd || have /usr/sbin/varnishd || need+=(varnish)
have nginx || have /usr/sbin/nginx || need+=(nginx-light)
have openssl || need+=(openssl)  # the certificate tests/deploy/test_nginx.py makes
have wrk || need+=(wrk)
have java || need+=(default-jre-headless)
have flite || need+=(flite)  # the spoken CAPTCHA of the comment form
have espeak-ng || need+=(espeak-ng)  # the spoken CAPTCHA on a Russian site (its Russian voice)
have msgfmt || need+=(gettext)  # compiles the translation catalogue (make compilemessages)
[ -f /usr/share/hunspell/en_GB.dic ] || need+=(hunspell-en-gb)
[ -f /usr/share/hunspell/en_US.dic ] || need+=(hunspell-en-us)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing system packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install: ${need[*]} (no apt-get here)" >&2
  exit 1
fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
