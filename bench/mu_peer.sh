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

. "$(dirname "$0")/peer_common.sh"
peer_setup mu mu-peer "$@"
MUHOME="$TMP/mu"
mkdir -p "$MUHOME"
unset MU_HOME || true

mu init --quiet --maildir="$MAILDIR" --muhome="$MUHOME" >"$TMP/init.txt" 2>&1 || {
  cat "$TMP/init.txt" >&2; exit 1; }

peer_run mu index --quiet --muhome="$MUHOME"

# Count what the store holds: every message has a path, so list the paths.
n=$(mu find --muhome="$MUHOME" --nocolor --fields=l 'maildir:/' 2>/dev/null | wc -l || true)
if [ "$n" -eq 0 ]; then
  n=$(mu find --muhome="$MUHOME" --nocolor --fields=l '""' 2>/dev/null | wc -l || true)
fi
peer_report "mu index" "$n"
if [ "$n" -ne "$nfiles" ]; then
  echo "mu_peer: note: $nfiles files in cur/ and new/, $n messages found in the store" >&2
fi
