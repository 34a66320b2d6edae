# Shared by bench/notmuch_peer.sh and bench/mu_peer.sh (sourced, not run).
#
# peer_setup TOOL NAME MAILDIR: checks MAILDIR is a Maildir and TOOL is installed, makes
#   $TMP (removed at exit) with an isolated HOME and XDG folders, sets $MAILDIR (absolute)
#   and $nfiles (message files in cur/ and new/).
# peer_run CMD...: runs CMD timed (under /usr/bin/time -v when present), output to $TMP.
# peer_report LABEL N: prints "LABEL: N messages in S s = R msg/s, peak RSS M MB".

peer_setup() {
  local tool="$1" name="$2"
  if [ $# -ne 3 ] || [ ! -d "$3" ]; then
    echo "usage: $0 MAILDIR" >&2
    exit 2
  fi
  MAILDIR=$(realpath "$3")
  if [ ! -d "$MAILDIR/cur" ] && [ ! -d "$MAILDIR/new" ]; then
    echo "$0: $MAILDIR has no cur/ or new/: not a Maildir" >&2
    exit 2
  fi
  command -v "$tool" >/dev/null || { echo "$0: $tool not installed" >&2; exit 2; }
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
  trap 'rm -rf "$TMP"' EXIT
  mkdir -p "$TMP/home/.config" "$TMP/home/.local/share" "$TMP/home/.cache"
  # Isolate from any user configuration.
  export HOME="$TMP/home"
  export XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share" \
         XDG_CACHE_HOME="$TMP/home/.cache"
  nfiles=$(find "$MAILDIR/cur" "$MAILDIR/new" -maxdepth 1 -type f 2>/dev/null | wc -l)
}

peer_run() {
  start=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v -o "$TMP/time.txt" "$@" >"$TMP/out.txt" 2>&1 || { cat "$TMP/out.txt" >&2; exit 1; }
  else
    "$@" >"$TMP/out.txt" 2>&1 || { cat "$TMP/out.txt" >&2; exit 1; }
  fi
  end=$(date +%s.%N)
}

peer_report() {
  local label="$1" n="$2" rss="n/a" kb secs rate
  if [ -f "$TMP/time.txt" ]; then
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TMP/time.txt")
    [ -n "$kb" ] && rss="$(awk -v kb="$kb" 'BEGIN {printf "%.1f", kb / 1024}') MB"
  fi
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}')
  rate=$(awk -v n="$n" -v a="$start" -v b="$end" 'BEGIN {d = b - a; printf "%.0f", (d > 0 ? n / d : 0)}')
  echo "$label: $n messages in $secs s = $rate msg/s, peak RSS $rss"
}
