// What an author installs: the kit's stack frames point into files the published package contains,
// so a failure's trace opens the kit's source instead of a path that does not exist.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.dirname(fileURLToPath(new URL('../package.json', import.meta.url)));

it('ships every source file its source maps name, and no tests', () => {
  // --dry-run lists the tarball npm would publish, from the built dist and package.json's files.
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as [{ files: { path: string }[] }];
  const packed = new Set(pack.files.map((f) => f.path));
  const maps = [...packed].filter((file) => file.endsWith('.js.map'));
  expect(maps).toEqual(expect.arrayContaining(['dist/index.js.map', 'dist/testing/index.js.map']));
  const missing: string[] = [];
  for (const map of maps) {
    const { sources } = JSON.parse(readFileSync(path.join(root, map), 'utf8')) as { sources: string[] };
    for (const source of sources) {
      const file = path.posix.join(path.posix.dirname(map), source);
      if (!packed.has(file)) missing.push(`${map} → ${file}`);
    }
  }
  expect(missing).toEqual([]);
  expect(packed).toContain('src/testing/harness.ts');
  expect([...packed].filter((file) => file.endsWith('.test.ts'))).toEqual([]);
});
