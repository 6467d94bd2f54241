import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The import rules of ARCHITECTURE.md, checked on every `src/**\/*.ts` file (tests included):
 *
 * 1. Arrows only point down the layers
 *      shared, config, domain  →  db  →  platform  →  modules  →  app (app.ts, server.ts)
 *    (`shared/`, `config/` and `domain/` are the bottom; they may import each other, nothing above).
 *    A file may import its own layer or a lower one, never a higher one. A test beside the code
 *    (`*.test.ts`) may build the whole app (`app.ts`), as test/harness.ts does: it tests the
 *    assembled app, and nothing imports a test.
 * 2. A module uses another module through its service or published functions, never its
 *    repository: `modules/X/**` does not import `modules/Y/**\/*.repository.ts` for X ≠ Y.
 */

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');

const LAYER_OF_TOP_FOLDER: Record<string, number> = {
  shared: 0,
  config: 0,
  domain: 0,
  db: 1,
  platform: 2,
  modules: 3,
};
const APP_LAYER = 4; // src/app.ts, src/server.ts
const LAYER_NAMES = ['shared/config/domain', 'db', 'platform', 'modules', 'app'];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

function layerOf(file: string): number {
  const relative = path.relative(SRC, file).split(path.sep);
  if (relative.length === 1) return APP_LAYER;
  const layer = LAYER_OF_TOP_FOLDER[relative[0]!];
  if (layer === undefined) throw new Error(`src/${relative[0]}/ has no layer: add it to architecture.test.ts`);
  return layer;
}

function moduleOf(file: string): string | undefined {
  const relative = path.relative(SRC, file).split(path.sep);
  return relative[0] === 'modules' ? relative[1] : undefined;
}

function resolveRelative(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // try the next form
    }
  }
  throw new Error(`${path.relative(ROOT, from)}: cannot resolve '${specifier}'`);
}

/** Every relative import (static, dynamic, `export … from`, `require`) of every file, resolved. */
export function localImports(files: string[]): Array<{ from: string; to: string }> {
  return files.flatMap((from) => {
    const info = ts.preProcessFile(readFileSync(from, 'utf8'), true, true);
    return info.importedFiles
      .map((reference) => reference.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({ from, to: resolveRelative(from, specifier) }));
  });
}

export function upwardImports(imports: Array<{ from: string; to: string }>): string[] {
  return imports
    .filter(({ from, to }) => to.startsWith(SRC + path.sep) && layerOf(to) > layerOf(from))
    .filter(({ from, to }) => !(from.endsWith('.test.ts') && layerOf(to) === APP_LAYER))
    .map(
      ({ from, to }) =>
        `${path.relative(SRC, from)} (${LAYER_NAMES[layerOf(from)]}) -> ${path.relative(SRC, to)} (${LAYER_NAMES[layerOf(to)]})`,
    );
}

export function crossModuleRepositoryImports(imports: Array<{ from: string; to: string }>): string[] {
  return imports
    .filter(({ from, to }) => {
      const importer = moduleOf(from);
      const imported = moduleOf(to);
      return importer !== undefined && imported !== undefined && importer !== imported && to.endsWith('.repository.ts');
    })
    .map(({ from, to }) => `${path.relative(SRC, from)} -> ${path.relative(SRC, to)}`);
}

describe('the layers of src/', () => {
  const imports = localImports(sourceFiles(SRC));

  it('reads the imports of the source tree', () => {
    expect(imports.length).toBeGreaterThan(500);
  });

  it('only point down: shared/config/domain → db → platform → modules → app', () => {
    expect(upwardImports(imports)).toEqual([]);
  });

  it('let a module reach another module through its service, never its repository', () => {
    // What another module may use is in its published surface, `modules/<m>/index.ts`.
    expect(crossModuleRepositoryImports(imports)).toEqual([]);
  });

  it('catches an upward import and a foreign repository import (the rules are not vacuous)', () => {
    const at = (relative: string) => path.join(SRC, relative);
    expect(
      upwardImports([{ from: at('domain/luhn.ts'), to: at('modules/mailboxes/mailboxes.service.ts') }]),
    ).toHaveLength(1);
    expect(upwardImports([{ from: at('shared/etag.ts'), to: at('platform/logger.ts') }])).toHaveLength(1);
    expect(upwardImports([{ from: at('platform/logger.ts'), to: at('app.ts') }])).toHaveLength(1);
    expect(upwardImports([{ from: at('platform/logger.test.ts'), to: at('app.ts') }])).toHaveLength(0);
    expect(upwardImports([{ from: at('platform/logger.test.ts'), to: at('modules/mailboxes/index.ts') }])).toHaveLength(
      1,
    );
    expect(upwardImports([{ from: at('modules/exports/exports.service.ts'), to: at('domain/luhn.ts') }])).toHaveLength(
      0,
    );
    expect(
      crossModuleRepositoryImports([
        { from: at('modules/exports/exports.service.ts'), to: at('modules/mailboxes/mailboxes.repository.ts') },
      ]),
    ).toHaveLength(1);
    expect(
      crossModuleRepositoryImports([
        { from: at('modules/mailboxes/mailboxes.service.ts'), to: at('modules/mailboxes/mailboxes.repository.ts') },
      ]),
    ).toHaveLength(0);
  });
});
