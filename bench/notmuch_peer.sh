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

. "$(dirname "$0")/peer_common.sh"
peer_setup notmuch notmuch-peer "$@"
mkdir -p "$TMP/db" "$TMP/hooks"

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

unset NOTMUCH_PROFILE NOTMUCH_DATABASE || true
export NOTMUCH_CONFIG="$CONFIG"

peer_run notmuch --config="$CONFIG" new --quiet

n=$(notmuch --config="$CONFIG" count '*')
peer_report "notmuch new" "$n"
if [ "$n" -ne "$nfiles" ]; then
  echo "notmuch_peer: note: $nfiles files in cur/ and new/, $n messages indexed" >&2
fi
