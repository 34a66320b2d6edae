#!/bin/bash
# Times `mu index` indexing one Maildir into a fresh, temporary mu store.
#
# Usage: bench/mu_peer.sh MAILDIR
#
# Runs `mu init --maildir=MAILDIR --muhome=TMP` (not timed) and then
# `mu index --muhome=TMP` (timed).  The store, HOME and XDG dirs live in a temporary
# directory removed at exit: no user mu store or configuration is read or touched.
# Prints one line:
#   mu index: N messages in S s = R msg/s, peak RSS M MB
# (peak RSS from /usr/bin/time -v when present, otherwise "n/a").
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 MAILDIR" >&2
  exit 2
fi
MAILDIR=$(realpath "$1")
if [ ! -d "$MAILDIR/cur" ] && [ ! -d "$MAILDIR/new" ]; then
  echo "$0: $MAILDIR has no cur/ or new/: not a Maildir" >&2
  exit 2
fi
command -v mu >/dev/null || { echo "$0: mu (maildir-utils) not installed" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/mu-peer.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
MUHOME="$TMP/mu"
mkdir -p "$MUHOME" "$TMP/home/.config" "$TMP/home/.local/share" "$TMP/home/.cache"

# Isolate from any user configuration.
unset MU_HOME MAILDIR_ENV || true
export HOME="$TMP/home"
export XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share" \
       XDG_CACHE_HOME="$TMP/home/.cache"

nfiles=$(find "$MAILDIR/cur" "$MAILDIR/new" -maxdepth 1 -type f 2>/dev/null | wc -l)

mu init --quiet --maildir="$MAILDIR" --muhome="$MUHOME" >"$TMP/init.txt" 2>&1 || {
  cat "$TMP/init.txt" >&2; exit 1; }

start=$(date +%s.%N)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v -o "$TMP/time.txt" mu index --quiet --muhome="$MUHOME" >"$TMP/out.txt" 2>&1 || {
    cat "$TMP/out.txt" >&2; exit 1; }
else
  mu index --quiet --muhome="$MUHOME" >"$TMP/out.txt" 2>&1 || { cat "$TMP/out.txt" >&2; exit 1; }
fi
end=$(date +%s.%N)

# Count what the store holds: every message has a path, so list the paths.
n=$(mu find --muhome="$MUHOME" --nocolor --fields=l 'maildir:/' 2>/dev/null | wc -l || true)
if [ "$n" -eq 0 ]; then
  n=$(mu find --muhome="$MUHOME" --nocolor --fields=l '""' 2>/dev/null | wc -l || true)
fi
rss="n/a"
if [ -f "$TMP/time.txt" ]; then
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TMP/time.txt")
  [ -n "$kb" ] && rss=$(awk -v kb="$kb" 'BEGIN {printf "%.1f", kb / 1024}')
fi
secs=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}')
rate=$(awk -v n="$n" -v a="$start" -v b="$end" 'BEGIN {d = b - a; printf "%.0f", (d > 0 ? n / d : 0)}')
if [ "$rss" = "n/a" ]; then
  echo "mu index: $n messages in $secs s = $rate msg/s, peak RSS n/a"
else
  echo "mu index: $n messages in $secs s = $rate msg/s, peak RSS $rss MB"
fi
if [ "$n" -ne "$nfiles" ]; then
  echo "mu_peer: note: $nfiles files in cur/ and new/, $n messages found in the store" >&2
fi
