import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHostKey, loadOrCreateHostKey, parseHostKey } from './host-key.js';

describe('host key', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ecmahost-key-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('accepts base64, base64url and hex forms of 32 bytes, and refuses anything else', () => {
    const key = randomBytes(32);
    expect(parseHostKey(key.toString('base64'), 'x')).toEqual(key);
    expect(parseHostKey(key.toString('base64url'), 'x')).toEqual(key);
    expect(parseHostKey(key.toString('hex'), 'x')).toEqual(key);
    expect(() => parseHostKey(randomBytes(16).toString('base64'), 'ECMAHOST_KEY')).toThrow('the host key in ECMAHOST_KEY is not 32 bytes');
  });

  it('ECMAHOST_KEY wins over the key file; ECMAHOST_KEY_FILE moves the file', async () => {
    const created = await loadOrCreateHostKey(path.join(dir, 'host.key'), {});
    expect(created.created).toBe(true);
    expect((await stat(path.join(dir, 'host.key'))).mode & 0o777).toBe(0o600);
    const env = randomBytes(32);
    expect((await loadHostKey(path.join(dir, 'host.key'), { ECMAHOST_KEY: env.toString('base64') })).key).toEqual(env);
    const elsewhere = path.join(dir, 'keys', 'ecmahost.key');
    const moved = await loadOrCreateHostKey(path.join(dir, 'unused.key'), { ECMAHOST_KEY_FILE: elsewhere });
    expect(moved.source).toEqual({ kind: 'file', path: elsewhere });
    expect(parseHostKey(await readFile(elsewhere, 'utf8'), 'f')).toEqual(moved.key);
  });

  it('a missing key names both ways to supply one', async () => {
    await expect(loadHostKey(path.join(dir, 'absent.key'), {})).rejects.toThrow(/ECMAHOST_KEY is not set and .*absent\.key does not exist/);
  });
});
