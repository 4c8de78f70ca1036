import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { API_VERSION } from '@ecmahost/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Capability } from './capabilities.js';
import { scaffold } from './scaffold.js';
import type { ScaffoldOptions } from './scaffold.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'create-ecma-connector-unit-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function options(capabilities: Capability[], overrides: Partial<ScaffoldOptions> = {}): ScaffoldOptions {
  return {
    targetDir: path.join(root, 'project'),
    packageName: '@acme/ecma-connector-hr',
    displayName: "Contoso's HR file",
    description: 'Users from the HR export.',
    capabilities,
    template: 'csv',
    ...overrides,
  };
}

async function readAll(dir: string, files: readonly string[]): Promise<string> {
  const texts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
  return texts.join('\n');
}

describe('scaffold', () => {
  it('writes a project with every capability, the host manifest and the SDK as a peer', async () => {
    const result = await scaffold(options(['import', 'delta', 'export', 'password'], { sdkRange: '^0.1.3' }));
    expect(result.files).toContain('.gitignore');
    expect(result.files).not.toContain('_gitignore');
    expect(result.files).not.toContain('_template.json');
    expect(result.files).toEqual(expect.arrayContaining(['src/index.ts', 'src/export.ts', 'src/delta.ts', 'src/journal.ts', 'src/password.ts', 'test/conformance.test.ts']));
    const pkg = JSON.parse(await readFile(path.join(result.dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({
      name: '@acme/ecma-connector-hr',
      version: '0.1.0',
      description: 'Users from the HR export.',
      ecmahost: { connector: './dist/index.js', apiVersion: API_VERSION },
      peerDependencies: { '@ecmahost/sdk': '^0.1.3' },
      devDependencies: { '@ecmahost/sdk': '^0.1.3' },
    });
    expect(pkg.keywords).toContain('ecma-connector');
    // The display name lands in TypeScript strings escaped, and in the README as typed.
    expect(await readFile(path.join(result.dir, 'src/index.ts'), 'utf8')).toContain("displayName: 'Contoso\\'s HR file',");
    expect(await readFile(path.join(result.dir, 'README.md'), 'utf8')).toMatch(/^# Contoso's HR file\n\nUsers from the HR export\.\n/);
    expect(await readAll(result.dir, result.files)).not.toMatch(/#if|#endif|\{\{/);
  });

  it('leaves out the code of capabilities not chosen', async () => {
    const result = await scaffold(options(['import']));
    expect(result.files.filter((f) => f.startsWith('src/'))).toEqual([
      'src/columns.test.ts',
      'src/columns.ts',
      'src/csv-file.ts',
      'src/import.ts',
      'src/index.ts',
      'src/settings.ts',
      'src/users-file.ts',
    ]);
    const text = await readAll(result.dir, result.files);
    expect(text).not.toMatch(/journal|openExport|openPassword|PasswordHash|deltaImport: true|#if|\{\{/i);
    // Without export, the conformance test seeds the file itself.
    expect(await readFile(path.join(result.dir, 'test/conformance.test.ts'), 'utf8')).toContain('seed: async');
  });

  it('takes the SDK range this scaffolder depends on when none is given', async () => {
    const own = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    const result = await scaffold(options(['import', 'export']));
    const pkg = JSON.parse(await readFile(path.join(result.dir, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
    expect(pkg.peerDependencies['@ecmahost/sdk']).toBe(own.dependencies['@ecmahost/sdk']);
  });

  it('refuses a folder with files, and with force writes over the template files only', async () => {
    const dir = path.join(root, 'project');
    await mkdir(dir);
    await writeFile(path.join(dir, 'notes.txt'), 'mine');
    await writeFile(path.join(dir, 'README.md'), 'old');
    await expect(scaffold(options(['import']))).rejects.toMatchObject({ code: 'target-not-empty', message: expect.stringContaining('pass --force') });
    expect(await readdir(dir)).toEqual(['README.md', 'notes.txt']);
    await scaffold(options(['import'], { force: true }));
    expect(await readFile(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toMatch(/^# Contoso's HR file/);
  });

  it('treats a folder holding only .git as empty', async () => {
    await mkdir(path.join(root, 'project', '.git'), { recursive: true });
    await expect(scaffold(options(['import']))).resolves.toMatchObject({ dir: path.join(root, 'project') });
  });

  it('refuses bad answers before writing anything', async () => {
    await expect(scaffold(options(['import'], { packageName: 'Bad Name' }))).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(scaffold(options(['import'], { displayName: 'two\nlines' }))).rejects.toThrow(/one line of text/);
    await expect(scaffold(options(['export']))).rejects.toThrow(/import is required/);
    await expect(scaffold(options(['import'], { sdkRange: '"; rm -rf /' }))).rejects.toThrow(/not a semver range/);
    expect(await readdir(root)).toEqual([]);
  });

  it('writes the minimal and rest templates with the author\'s description in every generated text, never "CSV"', async () => {
    for (const template of ['minimal', 'rest'] as const) {
      const dir = path.join(root, template);
      const result = await scaffold(options(['import', 'export'], { template, targetDir: dir, description: 'Users from the Acme HR API.' }));
      expect(result.files).toEqual(expect.arrayContaining(['.gitignore', 'README.md', 'package.json', 'src/index.ts', 'test/conformance.test.ts']));
      const all = await readAll(dir, result.files.filter((f) => !f.startsWith('sample/')));
      expect(all).not.toMatch(/csv/i);
      expect(all).not.toMatch(/\{\{/);
      expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toContain('Users from the Acme HR API.');
      expect(await readFile(path.join(dir, 'src', 'index.ts'), 'utf8')).toContain('Users from the Acme HR API.');
      const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      expect(pkg).toMatchObject({ description: 'Users from the Acme HR API.', files: template === 'minimal' ? ['dist', 'sample'] : ['dist'] });
      expect((pkg.devDependencies as Record<string, string>)['@ecmahost/host']).toBeDefined();
      expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).toContain('.ecmahost-dev/');
    }
  });

  it('refuses a capability the template has no code for, naming what it has', async () => {
    await expect(scaffold(options(['import', 'delta'], { template: 'minimal' }))).rejects.toMatchObject({
      code: 'invalid-argument',
      message: 'the minimal template has no delta (it has import, export); choose the csv template for every capability',
    });
    expect(await readdir(root)).toEqual([]);
  });

  it('publishes the CSV template\'s sample file, which its README points admins at', async () => {
    await scaffold(options(['import']));
    const pkg = JSON.parse(await readFile(path.join(root, 'project', 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toEqual(['dist', 'sample']);
    expect(await readFile(path.join(root, 'project', 'README.md'), 'utf8')).toContain('`sample/users.csv` is in the package');
  });
});
