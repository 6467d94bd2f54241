#!/usr/bin/env bash
# While a migration has not landed on main, it may still be rewritten: this regenerates the
# migrations that are not committed yet from the schema, as one file. Never use it on a landed one.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-domain}
committed=$(git ls-files migrations/*.sql | wc -l)
for file in migrations/*.sql; do
  git ls-files --error-unmatch "$file" >/dev/null 2>&1 || rm -f "$file"
done
for snapshot in migrations/meta/*_snapshot.json; do
  git ls-files --error-unmatch "$snapshot" >/dev/null 2>&1 || rm -f "$snapshot"
done
git checkout -- migrations/meta/_journal.json 2>/dev/null || true
npx drizzle-kit generate --name "$name" >/dev/null
echo "migrations: $committed committed, now $(ls migrations/*.sql | wc -l)"
