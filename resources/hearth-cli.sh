#!/bin/sh
# The `hearth` command of the installed app: the prebuilt CLI (out/main/cli.js, through
# bin/hearth.mjs) inside the app's archive, run by the app's own binary as Node, with
# better-sqlite3's build for Electron. Link it onto the PATH:
#   ln -s /opt/Hearth/resources/hearth-cli.sh /usr/local/bin/hearth
resources="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
app="$(dirname "$resources")"
binary="$app/hearth"
[ -x "$binary" ] || binary="$app/Hearth"
HEARTH_SQLITE_ELECTRON_BINDING="$resources/app.asar.unpacked/resources/native/better_sqlite3.node" \
  ELECTRON_RUN_AS_NODE=1 exec "$binary" "$resources/app.asar/bin/hearth.mjs" "$@"
