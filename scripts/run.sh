#!/usr/bin/env bash
# The README's first command: install, build, import the demo forum into an empty
# database, then serve the archive at http://127.0.0.1:8080 until Ctrl-C.
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
  mkdir -p data "$(dirname "$db")"
  python3 bench/gen_archive.py --messages 400 --lists 3 --seed 2026 --format mbox --out data/demo.mbox
  "$bin" import --db "$db" --forum demo --no-progress data/demo.mbox
fi
"$bin" stats --db "$db"
echo
echo "Open http://127.0.0.1:8080/ (the API: http://127.0.0.1:8080/api/v1/openapi.json)"
exec "$bin" serve --db "$db" --listen "${ROUNDTABLE_LISTEN:-127.0.0.1:8080}"
