#!/usr/bin/env bash
# Installs the Debian 12 packages Roundtable needs, only those missing.
# Usage: scripts/install-deps.sh [build|test|bench]   (test adds what the tests use, bench the peers)
set -euo pipefail
build_pkgs=(build-essential cmake ninja-build ccache pkg-config python3
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libgmime-3.0-dev libgumbo-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libsodium-dev libzstd-dev
  libcli11-dev libspdlog-dev libfmt-dev libstemmer-dev libctemplate-dev libgtest-dev zlib1g-dev
  libboost-locale1.81-dev gettext libgoogle-perftools-dev)
# postfix and aiosmtpd: the real MTA and SMTP capture server of the mail tests (tests/mail/);
# postgresql: the server (15) of the tests' private cluster (tests/pg/pg_server.sh);
# nginx: the load balancer of the multi-node test (tests/multinode/);
# dnsmasq-base: the DNS server the DMARC lookups are tested against (tests/dnsmasq_test.cc).
test_pkgs=(libpython3.11-testsuite sqlite3 notmuch maildir-utils time chromium postfix python3-aiosmtpd swaks dnsmasq-base
  postgresql nginx-light)
bench_pkgs=(wrk curl)
pkgs=("${build_pkgs[@]}")
case "${1:-build}" in
  test) pkgs+=("${test_pkgs[@]}") ;;
  bench) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
esac
# Node.js comes with npm on these machines; Debian's own packages otherwise.
if [ "${1:-build}" != build ] && ! command -v npm >/dev/null; then pkgs+=(nodejs npm); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  # The tests run their own postfix instances; the system one stays unconfigured and off.
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
