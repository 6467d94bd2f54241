#!/usr/bin/env bash
# Checks that `npm pack` gives an installable @balise/client: installs the tarball into an empty
# folder (as a vendor or an admin's machine would, dependencies from the registry), runs the
# `balise` binary it installs, and type-checks a vendor's import of the client against it.
# Run from anywhere; CI runs it after the lint (.ci/run).
set -euo pipefail
package=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$package/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# prepare (run by npm pack) compiles dist/ first.
tarball=$(cd "$package" && npm pack --silent --pack-destination "$work" | tail -n 1)
mkdir "$work/vendor"
cd "$work/vendor"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "$work/$tarball"

help=$(npx --no-install balise --help) || { echo "check-pack: balise --help failed" >&2; exit 1; }
grep -q 'balise import' <<<"$help" || { echo "check-pack: balise --help does not show the import example" >&2; exit 1; }

cat > vendor.ts <<'TS'
import { BaliseProblem, createBaliseClient, paginate, type components } from '@balise/client';

type Mailbox = components['schemas']['Mailbox'];

export async function emails(structureId: string): Promise<string[]> {
  const balise = createBaliseClient({ baseUrl: 'https://balise.example.fr', apiKey: 'blk_x' });
  const found: string[] = [];
  try {
    const pages = (cursor: string | undefined) =>
      balise.GET('/v1/mailboxes', { params: { query: { structureId, cursor } } });
    for await (const box of paginate(pages)) found.push((box satisfies Mailbox).email);
  } catch (error) {
    if (error instanceof BaliseProblem) console.error(error.status, error.code, error.requestId);
  }
  return found;
}
TS
node "$root/node_modules/typescript/bin/tsc" --noEmit --strict --target es2022 --module nodenext \
  --moduleResolution nodenext --types node --typeRoots "$root/node_modules/@types" vendor.ts \
  || { echo "check-pack: a typed import of @balise/client does not compile" >&2; exit 1; }
echo "check-pack: $tarball installs, runs \`balise --help\` and type-checks a vendor's import"
