#!/bin/bash
# Times `notmuch new` indexing one Maildir into a fresh, temporary notmuch database.
#
# Usage: bench/notmuch_peer.sh MAILDIR
#
# The database, config, hooks directory and HOME/XDG dirs all live in a temporary
# directory that is removed at exit: no user configuration or database is read or
# touched.  database.mail_root is MAILDIR itself, so exactly that Maildir is indexed,
# and database.path is the temporary directory, so nothing is written into MAILDIR.
# Prints one line:
#   notmuch new: N messages in S s = R msg/s, peak RSS M MB
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
command -v notmuch >/dev/null || { echo "$0: notmuch not installed" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/notmuch-peer.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/db" "$TMP/hooks" "$TMP/home/.config" "$TMP/home/.local/share" "$TMP/home/.cache"

CONFIG="$TMP/notmuch-config"
cat > "$CONFIG" <<EOF
[database]
path=$TMP/db
mail_root=$MAILDIR
hook_dir=$TMP/hooks

[user]
name=Roundtable Benchmark
primary_email=bench@example.org

[new]
tags=unread;inbox;
ignore=

[search]
exclude_tags=

[maildir]
synchronize_flags=true
EOF

# Isolate from any user configuration.
unset NOTMUCH_PROFILE NOTMUCH_DATABASE || true
export HOME="$TMP/home"
export XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share" \
       XDG_CACHE_HOME="$TMP/home/.cache"
export NOTMUCH_CONFIG="$CONFIG"

nfiles=$(find "$MAILDIR/cur" "$MAILDIR/new" -maxdepth 1 -type f 2>/dev/null | wc -l)

start=$(date +%s.%N)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v -o "$TMP/time.txt" notmuch --config="$CONFIG" new --quiet >"$TMP/out.txt" 2>&1 || {
    cat "$TMP/out.txt" >&2; exit 1; }
else
  notmuch --config="$CONFIG" new --quiet >"$TMP/out.txt" 2>&1 || { cat "$TMP/out.txt" >&2; exit 1; }
fi
end=$(date +%s.%N)

n=$(notmuch --config="$CONFIG" count '*')
rss="n/a"
if [ -f "$TMP/time.txt" ]; then
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TMP/time.txt")
  [ -n "$kb" ] && rss=$(awk -v kb="$kb" 'BEGIN {printf "%.1f", kb / 1024}')
fi
secs=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}')
rate=$(awk -v n="$n" -v a="$start" -v b="$end" 'BEGIN {d = b - a; printf "%.0f", (d > 0 ? n / d : 0)}')
if [ "$rss" = "n/a" ]; then
  echo "notmuch new: $n messages in $secs s = $rate msg/s, peak RSS n/a"
else
  echo "notmuch new: $n messages in $secs s = $rate msg/s, peak RSS $rss MB"
fi
if [ "$n" -ne "$nfiles" ]; then
  echo "notmuch_peer: note: $nfiles files in cur/ and new/, $n messages indexed" >&2
fi
