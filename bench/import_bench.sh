#!/usr/bin/env bash
# Import benchmark: Roundtable vs notmuch (and mu) on the same generated archive.
# Usage: bench/import_bench.sh [MESSAGES=100000] [SEED=1]
# Needs a build in build/ (scripts/build.sh) and the test packages (notmuch, mu, time).
# Work files go to ${BENCH_DIR:-/tmp/roundtable-bench}; figures to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"; seed="${2:-1}"
dir="${BENCH_DIR:-/tmp/roundtable-bench}/import-$n-$seed"
mkdir -p "$dir"
if [ ! -f "$dir/archive.mbox" ]; then
  rm -rf "$dir/archive.maildir"
  python3 bench/gen_archive.py --messages "$n" --seed "$seed" --format both --out "$dir/archive"
fi
echo "corpus: $n messages, mbox $(du -m "$dir/archive.mbox" | cut -f1) MB, $(nproc) cores"

rm -f "$dir"/rt.db*
sync
/usr/bin/time -f "%e %M" -o "$dir/rt.time" build/roundtable import --no-progress --db "$dir/rt.db" "$dir/archive.mbox" \
  | tee "$dir/rt.out"
read -r secs kb < "$dir/rt.time"
rt_rate=$(python3 -c "print(round($n / $secs))")
echo "roundtable import (mbox): $n messages in $secs s = $rt_rate msg/s, peak RSS $((kb / 1024)) MB, db $(du -m "$dir/rt.db" | cut -f1) MB"

rm -f "$dir"/rt2.db*
/usr/bin/time -f "%e %M" -o "$dir/rt2.time" build/roundtable import --no-progress --db "$dir/rt2.db" "$dir/archive.maildir" >/dev/null
read -r secs2 kb2 < "$dir/rt2.time"
echo "roundtable import (Maildir): $n messages in $secs2 s = $(python3 -c "print(round($n / $secs2))") msg/s, peak RSS $((kb2 / 1024)) MB"

nm=$(bench/notmuch_peer.sh "$dir/archive.maildir")
echo "$nm"
nm_rate=$(echo "$nm" | sed -E 's/.*= ([0-9.]+) msg\/s.*/\1/')
echo "ratio roundtable(mbox)/notmuch: $(python3 -c "print(round($rt_rate / $nm_rate, 1))")x"
if [ "${WITH_MU:-1}" = 1 ]; then bench/mu_peer.sh "$dir/archive.maildir"; fi
