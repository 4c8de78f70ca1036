import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CachedObject } from './cached-object.js';
import { Generation } from './generation.js';
import { SnapshotFile } from './snapshot-file.js';

const objects: CachedObject[] = [
  { id: 'YWxpY2U', anchor: { login: 'alice' }, attributes: { login: ['alice'], mail: ['alice@example.com', 'a@example.com'], photo: [new Uint8Array([0, 1, 254, 255])] }, created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-02T00:00:00.000Z' },
  { id: 'Ym9i', anchor: { login: 'bob' }, dn: 'CN=bob,OU=People', attributes: { login: ['bob'], enabled: [true], age: [42], note: ['line\nbreak "quoted" ünïcode'] }, created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z' },
];

async function readAll(snapshot: SnapshotFile): Promise<{ read: Awaited<ReturnType<SnapshotFile['read']>>; objects: CachedObject[] }> {
  const got: CachedObject[] = [];
  const read = await snapshot.read({ indexes: () => undefined, object: (object) => got.push(object.unpack()) });
  return { read, objects: got };
}

describe('SnapshotFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ecmahost-snapshot-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives back every object as written, binary values, DNs and line breaks included, with the watermark', async () => {
    const snapshot = new SnapshotFile(dir, 'HR', 'person', 'hash-1');
    const written = await snapshot.write(objects, [], 'wm-7');
    expect(written.objects).toBe(2);
    expect(written.bytes).toBe((await readFile(snapshot.file!)).length);
    const { read, objects: got } = await readAll(snapshot);
    expect(read).toMatchObject({ ok: true, objects: 2, watermark: 'wm-7' });
    expect(got).toEqual(objects);
    expect(got[0]!.attributes.photo![0]).toBeInstanceOf(Uint8Array);
    expect(path.basename(snapshot.file!)).toBe('HR.person.space.ndjson');
  });

  it('refuses a snapshot written under another configuration, object type or format version', async () => {
    await new SnapshotFile(dir, 'HR', 'person', 'hash-1').write(objects, [], undefined);
    expect((await readAll(new SnapshotFile(dir, 'HR', 'person', 'hash-2'))).read).toEqual({ ok: false, reason: expect.stringContaining('another configuration') });
    const file = new SnapshotFile(dir, 'HR', 'person', 'hash-1').file!;
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"version":2', '"version":3'));
    expect((await readAll(new SnapshotFile(dir, 'HR', 'person', 'hash-1'))).read).toEqual({ ok: false, reason: 'format version 3, this host reads 2' });
  });

  it('refuses an altered or torn file', async () => {
    const snapshot = new SnapshotFile(dir, 'HR', 'person', 'hash-1');
    await snapshot.write(objects, [], undefined);
    const text = await readFile(snapshot.file!, 'utf8');
    await writeFile(snapshot.file!, text.replace('alice@example.com', 'alice@example.org'));
    expect((await readAll(snapshot)).read).toEqual({ ok: false, reason: 'checksum mismatch' });

    await writeFile(snapshot.file!, text);
    await truncate(snapshot.file!, text.length - 10);
    expect((await readAll(snapshot)).read).toEqual({ ok: false, reason: 'the last line is incomplete (torn write)' });

    // Cut at a line end: every line whole, the footer missing.
    const lines = text.split('\n');
    await writeFile(snapshot.file!, `${lines.slice(0, 2).join('\n')}\n`);
    expect((await readAll(snapshot)).read).toEqual({ ok: false, reason: 'no footer (torn write)' });

    await writeFile(snapshot.file!, '');
    expect((await readAll(snapshot)).read).toEqual({ ok: false, reason: 'empty file' });
  });

  it('says when there is none, and removes what an interrupted write left', async () => {
    const snapshot = new SnapshotFile(dir, 'HR', 'person', 'hash-1');
    await writeFile(`${snapshot.file!}.0123456789ab.tmp`, 'half');
    expect((await readAll(snapshot)).read).toEqual({ ok: false, reason: 'no snapshot' });
    expect(await readdir(dir)).toEqual([]);
    expect((await readAll(new SnapshotFile(undefined, 'HR', 'person', 'hash-1'))).read).toEqual({ ok: false, reason: 'no state directory' });
  });
});

describe('SnapshotFile restored into a generation', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ecmahost-snapshot-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers index lookups from the values the file carries, and decodes each object when it is read, replaced or removed', async () => {
    const indexed = [{ name: 'login', caseExact: false }, { name: 'mail', caseExact: false }, { name: 'photo', caseExact: true }];
    const snapshot = new SnapshotFile(dir, 'HR', 'person', 'hash-1');
    await snapshot.write(objects, ['login', 'photo'], 'wm-1');
    const generation = new Generation(indexed);
    const read = await snapshot.read({ indexes: (names) => generation.restoreIndexes(names), object: (object, values) => generation.putPacked(object, values) });
    expect(read).toMatchObject({ ok: true, objects: 2 });
    expect(generation.builtIndexes()).toEqual(['login', 'photo']);
    expect(generation.lookup('login', 'ALICE')).toEqual(['YWxpY2U']);
    expect(generation.lookup('photo', new Uint8Array([0, 1, 254, 255]))).toEqual(['YWxpY2U']);
    // An index the file does not carry is built from the decoded objects on its first lookup.
    expect(generation.lookup('mail', 'a@example.com')).toEqual(['YWxpY2U']);
    expect([...generation.values()]).toEqual(objects);

    const again = new Generation(indexed);
    await snapshot.read({ indexes: (names) => again.restoreIndexes(names), object: (object, values) => again.putPacked(object, values) });
    // Replacing and removing objects still packed takes their old values out of the indexes.
    again.put({ ...objects[0]!, attributes: { login: ['alice2'] } });
    again.remove('Ym9i');
    expect(again.lookup('login', 'alice')).toEqual([]);
    expect(again.lookup('login', 'alice2')).toEqual(['YWxpY2U']);
    expect(again.lookup('login', 'bob')).toEqual([]);
    expect(again.size).toBe(1);
  });

  it('refuses a well-checksummed file that holds an object twice, before anything is served from it', async () => {
    const snapshot = new SnapshotFile(dir, 'HR', 'person', 'hash-1');
    await snapshot.write(objects, ['login'], undefined);
    const [header, first, second] = (await readFile(snapshot.file!, 'utf8')).split('\n');
    const body = `${header!}\n${first!}\n${second!}\n${first!}\n`;
    await writeFile(snapshot.file!, `${body}${JSON.stringify({ end: true, objects: 3, sha256: createHash('sha256').update(body).digest('hex') })}\n`);
    const generation = new Generation([{ name: 'login', caseExact: false }]);
    const read = await snapshot.read({ indexes: (names) => generation.restoreIndexes(names), object: (object, values) => generation.putPacked(object, values) });
    expect(read).toEqual({ ok: false, reason: 'object YWxpY2U is in the snapshot twice' });
  });

  it('refuses an object line cut from its body', async () => {
    const snapshot = new SnapshotFile(dir, 'HR', 'person', 'hash-1');
    await snapshot.write(objects, [], undefined);
    const text = await readFile(snapshot.file!, 'utf8');
    await writeFile(snapshot.file!, text.replace('\t', ' '));
    expect((await readAll(snapshot)).read).toEqual({ ok: false, reason: 'an object line without its body' });
  });
});
