#!/bin/sh
# A backup of DATABASE_URL's PostgreSQL database, and its restore: pg_dump / pg_restore in their
# custom format (compressed; pg_restore can choose what to restore). Needs only the PostgreSQL
# client tools, not the portal's Python environment. `make backup` and `make restore` call it.
#
#   scripts/database_backup.sh backup [DIRECTORY]   -> DIRECTORY/<database>-<UTC time>.dump (backups/)
#   scripts/database_backup.sh restore FILE         -> into DATABASE_URL's database, which must be
#                                                      empty; FORCE=1 replaces what is there
#
# SQLite (the development default) is refused: copy it with sqlite3's online backup instead,
#   sqlite3 db.sqlite3 ".backup backups/db-$(date -u +%Y%m%dT%H%M%SZ).sqlite3"
set -eu

fail() { echo "$*" >&2; exit 2; }

url="${DATABASE_URL:-}"
case "$url" in
    postgres://* | postgresql://*) ;;
    "" | sqlite:*)
        fail "DATABASE_URL names no PostgreSQL database (SQLite is the default). For SQLite, use
sqlite3's online backup: sqlite3 db.sqlite3 \".backup backups/db.sqlite3\"" ;;
    *) fail "DATABASE_URL must be a postgres:// address, not ${url%%:*}://..." ;;
esac
# the database's name: the address's path, without parameters
name="${url%%\?*}"
name="${name##*/}"
[ -n "$name" ] || fail "DATABASE_URL names no database"

case "${1:-}" in
    backup)
        directory="${2:-backups}"
        mkdir -p "$directory"
        file="$directory/$name-$(date -u +%Y%m%dT%H%M%SZ).dump"
        # written beside, then renamed: a failed dump never leaves a file that looks complete
        pg_dump --format=custom --no-owner --no-privileges --dbname="$url" --file="$file.partial"
        mv "$file.partial" "$file"
        echo "$file"
        ;;
    restore)
        file="${2:-}"
        [ -n "$file" ] || fail "usage: $0 restore FILE (make restore FILE=backups/....dump)"
        [ -r "$file" ] || fail "cannot read $file"
        pg_restore --list "$file" >/dev/null || fail "$file is not a pg_dump custom-format archive"
        tables=$(psql -X -tA --dbname="$url" -c \
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        if [ "${FORCE:-0}" = 1 ]; then
            # replaces each object the archive holds; one transaction: all or nothing
            pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
                --exit-on-error --dbname="$url" "$file"
        elif [ "$tables" != 0 ]; then
            fail "database $name is not empty ($tables tables): restore into an empty database,
or replace its content with FORCE=1 (make restore FILE=$file FORCE=1)"
        else
            pg_restore --no-owner --no-privileges --single-transaction --exit-on-error \
                --dbname="$url" "$file"
        fi
        echo "restored $file into $name"
        ;;
    *)
        fail "usage: $0 backup [DIRECTORY] | restore FILE" ;;
esac
