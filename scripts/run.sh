#!/usr/bin/env bash
# The README's first command: install, build, import the demo forum into an empty
# database, then show what is in it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
scripts/build.sh build
db="${ROUNDTABLE_DB:-./data/roundtable.db}"
bin=build/roundtable
messages=0
[ -f "$db" ] && messages=$("$bin" stats --json --db "$db" | python3 -c 'import json,sys; print(json.load(sys.stdin)["messages"])')
if [ "$messages" = 0 ]; then
  echo "empty database: importing the demo forum"
  mkdir -p data
  python3 bench/gen_archive.py --messages 400 --lists 3 --seed 2026 --format mbox --out data/demo.mbox
  "$bin" import --db "$db" --forum demo --no-progress data/demo.mbox
fi
"$bin" stats --db "$db"
echo
echo "Try: $bin search --db $db 'consultation from:a list:governance'"
