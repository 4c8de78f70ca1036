import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_PARAMETERS, P, parameterPage } from './parameters.js';

describe('parameter pages', () => {
  it('come as Microsoft\'s wizard: one connectivity page, four schema pages, global, run step', async () => {
    const page = (p: Parameters<typeof parameterPage>[0]['page'], n = 1) => parameterPage({ page: p, pageNumber: n, values: {} }).map((d) => d.name);
    expect(page('connectivity')).toContain(P.connectionUrl);
    expect(page('schema', 1)).toContain(P.objectTypeDetection);
    expect(page('schema', 3)).toContain(P.anchorColumns);
    expect(page('schema', 5)).toEqual([]);
    expect(page('global')).toContain(P.deltaStrategy);
    expect(page('runStep')).toContain(P.exportMethod);
    expect(page('connectivity', 2)).toEqual([]);
  });

  it('have unique names, each documented in the README', () => {
    const names = ALL_PARAMETERS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(Object.values(P).sort());
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const name of names) expect(readme, name).toContain(`\`${name}\``);
  });

  it('keep the password an encrypted string', () => {
    expect(ALL_PARAMETERS.find((d) => d.name === P.password)?.type).toBe('encryptedString');
  });
});
