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

const indexed = [
  { name: 'login', caseExact: false },
  { name: 'mail', caseExact: false },
  { name: 'photo', caseExact: true },
];

/**
 * The space of a generation holding `objects`, with `built` indexes (what a host would snapshot);
 * `names` are the attributes its records write as numbers.
 */
function viewOf(list: CachedObject[], built: string[] = [], names: string[] = []) {
  const generation = new Generation(indexed, built, names);
  for (const object of list) generation.put(object);
  return generation.view();
}

async function readAll(snapshot: SnapshotFile, names: string[] = []): Promise<{ read: Awaited<ReturnType<SnapshotFile['read']>>; objects: CachedObject[]; generation: Generation }> {
  const generation = new Generation(indexed, [], names);
  const read = await snapshot.read(generation);
  return { read, objects: read.ok ? [...generation.values()] : [], generation };
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
    const written = await snapshot.write(viewOf(objects), 'wm-7');
    expect(written.objects).toBe(2);
    expect(written.bytes).toBe((await readFile(snapshot.file!)).length);
    const { read, objects: got } = await readAll(snapshot);
    expect(read).toMatchObject({ ok: true, objects: 2, watermark: 'wm-7' });
    expect(got).toEqual(objects);
    expect(got[0]!.attributes.photo![0]).toBeInstanceOf(Uint8Array);
    expect(path.basename(snapshot.file!)).toBe('HR.person.space');
  });

  it('writes the numbered attributes without their names, bare when single, and reads them back under another numbering', async () => {
    const odd: CachedObject = {
      id: 'b2Rk',
      anchor: { login: 'odd' },
      attributes: { login: ['odd'], __proto__: ['not a prototype'], mail: [], photo: [new Uint8Array([9]), new Uint8Array([])], '7': ['a name that looks like a number'] },
      created: '2026-01-01T00:00:00.000Z',
      lastModified: '2026-01-03T00:00:00.000Z',
    };
    // Built the way JSON.parse builds it: `__proto__` an own key, not the prototype.
    const oddAttributes = JSON.parse('{"login":["odd"],"__proto__":["not a prototype"],"mail":[],"photo":[],"7":["a name that looks like a number"]}') as CachedObject['attributes'];
    oddAttributes.photo = [new Uint8Array([9]), new Uint8Array([])];
    odd.attributes = oddAttributes;
    const list = [...objects, odd];
    const snapshot = new SnapshotFile(dir, 'HR', 'person', 'hash-1');
    await snapshot.write(viewOf(list, [], ['login', 'mail', 'photo', 'enabled', 'age']), undefined);
    const text = (await readFile(snapshot.file!)).toString('latin1');
    // The header lists the numbering once; the records name only what it does not number.
    expect(text.split('"mail"').length - 1).toBe(1);
    expect(text).toContain('"note"');
    expect(text).toContain('"alice@example.com"');
    // A host whose type gained or reordered attributes since reads the records as they were written.
    const { read, objects: got } = await readAll(snapshot, ['note', 'login']);
    expect(read).toMatchObject({ ok: true, objects: 3 });
    expect(got).toEqual(list);
    const gotOdd = got.find((o) => o.id === 'b2Rk')!;
    expect(Object.getPrototypeOf(gotOdd.attributes)).toBe(Object.prototype);
    expect(Object.keys(gotOdd.attributes)).toEqual(Object.keys(oddAttributes));
    expect(gotOdd.attributes.photo![0]).toBeInstanceOf(Uint8Array);
  });

  it('refuses a snapshot written under another configuration, object type or format version', async () => {
    await new SnapshotFile(dir, 'HR', 'person', 'hash-1').write(viewOf(objects), undefined);
    expect((await readAll(new SnapshotFile(dir, 'HR', 'person', 'hash-2'))).read).toEqual({ ok: false, reason: expect.stringContaining('another configuration') });
    const file = new SnapshotFile(dir, 'HR', 'person', 'hash-1').file!;
    const bytes = await readFile(file);
    await writeFile(file, Buffer.from(bytes.toString('latin1').replace('"version":4', '"version":2'), 'latin1'));
    expect((await readAll(new SnapshotFile(dir, 'HR', 'person', 'hash-1'))).read).toEqual({ ok: false, reason: 'format version 2, this host reads 4' });
  });

  it('refuses an altered or torn file', async () => {
    const snapshot = new SnapshotFile(dir, 'HR', 'person', 'hash-1');
    await snapshot.write(viewOf(objects), undefined);
    const bytes = await readFile(snapshot.file!);
    const altered = Buffer.from(bytes);
    const at = altered.indexOf('alice@example.com');
    altered[at] = altered[at]! ^ 1;
    await writeFile(snapshot.file!, altered);
    expect((await readAll(snapshot)).read).toEqual({ ok: false, reason: 'checksum mismatch' });

    await writeFile(snapshot.file!, bytes.subarray(0, bytes.indexOf('ünïcode')));
    expect((await readAll(snapshot)).read).toEqual({ ok: false, reason: 'the last record is incomplete (torn write)' });

    // Cut after the end mark: every record whole, the footer missing.
    await writeFile(snapshot.file!, bytes.subarray(0, bytes.lastIndexOf('{"end"')));
    expect((await readAll(snapshot)).read).toEqual({ ok: false, reason: 'no footer (torn write)' });

    await writeFile(snapshot.file!, Buffer.concat([bytes, Buffer.from('{}\n')]));
    expect((await readAll(snapshot)).read).toEqual({ ok: false, reason: 'data after the footer' });

    await writeFile(snapshot.file!, '');
    expect((await readAll(snapshot)).read).toEqual({ ok: false, reason: 'empty file' });
  });

  it('reads records cut by the end of a read block, one longer than the room kept for a cut record included', async () => {
    // A group of 5,000 members: a record of about 200 kB, longer than the 64 KiB kept before each block.
    const members = Array.from({ length: 5_000 }, (_, i) => `uid=member${String(i)},ou=people,dc=example,dc=com`);
    const many: CachedObject[] = [];
    for (let i = 0; i < 300; i++) many.push({ id: `id${String(i)}`, anchor: { login: `u${String(i)}` }, attributes: { login: [`u${String(i)}`], note: ['ü'.repeat(i % 40)] }, created: 'T1', lastModified: 'T2' });
    many.splice(150, 0, { id: 'group', anchor: { login: 'group' }, attributes: { login: ['group'], member: members }, created: 'T1', lastModified: 'T1' });
    await new SnapshotFile(dir, 'HR', 'person', 'hash-1').write(viewOf(many, ['login']), 'wm');
    for (const readBytes of [997, 4096, 65_537]) {
      const generation = new Generation(indexed);
      const read = await new SnapshotFile(dir, 'HR', 'person', 'hash-1', { readBytes }).read(generation);
      expect(read, `blocks of ${String(readBytes)} bytes`).toMatchObject({ ok: true, objects: 301 });
      expect([...generation.values()]).toEqual(many);
      expect(generation.lookup('login', 'U299')).toEqual(['id299']);
    }
  });

  it('refuses, and never throws on, the file cut at any byte or with any byte changed', async () => {
    const snapshot = new SnapshotFile(dir, 'HR', 'person', 'hash-1');
    await snapshot.write(viewOf(objects, ['login']), undefined);
    const bytes = await readFile(snapshot.file!);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      await writeFile(snapshot.file!, bytes.subarray(0, cut));
      expect((await readAll(snapshot)).read.ok, `cut at ${cut}`).toBe(false);
      expect((await readAll(new SnapshotFile(dir, 'HR', 'person', 'hash-1', { readBytes: 61 }))).read.ok, `cut at ${cut}, small blocks`).toBe(false);
    }
    for (let at = 0; at < bytes.length; at += 5) {
      const changed = Buffer.from(bytes);
      changed[at] = changed[at]! ^ 0x5a;
      await writeFile(snapshot.file!, changed);
      const { read } = await readAll(snapshot);
      // A change inside the footer's JSON may leave it readable; it never passes the checksum.
      expect(read.ok, `byte ${at} changed`).toBe(false);
      expect((await readAll(new SnapshotFile(dir, 'HR', 'person', 'hash-1', { readBytes: 61 }))).read.ok, `byte ${at} changed, small blocks`).toBe(false);
    }
  });

  it('says when there is none, and removes what an interrupted write left', async () => {
    const snapshot = new SnapshotFile(dir, 'HR', 'person', 'hash-1');
    await writeFile(`${snapshot.file!}.0123456789ab.tmp`, 'half');
    await writeFile(`${snapshot.file!}.ndjson`, 'a format 2 file');
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

  it('answers index lookups from the keys the file carries, and takes replaced and removed objects out of them', async () => {
    const snapshot = new SnapshotFile(dir, 'HR', 'person', 'hash-1');
    await snapshot.write(viewOf(objects, ['login', 'photo']), 'wm-1');
    const { read, generation } = await readAll(snapshot);
    expect(read).toMatchObject({ ok: true, objects: 2 });
    expect(generation.builtIndexes()).toEqual(['login', 'photo']);
    expect(generation.lookup('login', 'ALICE')).toEqual(['YWxpY2U']);
    expect(generation.lookup('photo', new Uint8Array([0, 1, 254, 255]))).toEqual(['YWxpY2U']);
    // An index the file does not carry is built from the decoded objects on its first lookup.
    expect(generation.lookup('mail', 'a@example.com')).toEqual(['YWxpY2U']);
    expect([...generation.values()]).toEqual(objects);

    const { generation: again } = await readAll(snapshot);
    again.put({ ...objects[0]!, attributes: { login: ['alice2'] } });
    again.remove('Ym9i');
    expect(again.lookup('login', 'alice')).toEqual([]);
    expect(again.lookup('login', 'alice2')).toEqual(['YWxpY2U']);
    expect(again.lookup('login', 'bob')).toEqual([]);
    expect(again.get('Ym9i')).toBeUndefined();
    expect(again.size).toBe(1);

    // Written again: the replaced object from the overlay, the removed one gone, read back the same.
    await snapshot.write(again.view(), 'wm-2');
    const third = await readAll(snapshot);
    expect(third.read).toMatchObject({ ok: true, objects: 1, watermark: 'wm-2' });
    expect(third.objects).toEqual([{ ...objects[0]!, attributes: { login: ['alice2'] } }]);
    expect(third.generation.lookup('login', 'alice2')).toEqual(['YWxpY2U']);
  });

  it('refuses a well-checksummed file that holds an object twice, before anything is served from it', async () => {
    const snapshot = new SnapshotFile(dir, 'HR', 'person', 'hash-1');
    await snapshot.write(viewOf([objects[0]!, objects[0]!], ['login']), undefined);
    // The generation's put replaced the first; write the same object into two records by hand.
    const bytes = await readFile(snapshot.file!);
    const header = bytes.subarray(0, bytes.indexOf(0x0a) + 1);
    const record = bytes.subarray(header.length, header.length + 4 + bytes.readUInt32LE(header.length));
    const body = Buffer.concat([header, record, record, Buffer.alloc(4)]);
    await writeFile(snapshot.file!, Buffer.concat([body, Buffer.from(`${JSON.stringify({ end: true, objects: 2, sha256: createHash('sha256').update(body).digest('hex') })}\n`)]));
    expect((await readAll(snapshot)).read).toEqual({ ok: false, reason: 'object YWxpY2U is in the snapshot twice' });
  });

  it('refuses a record whose lengths do not add up, even under a matching checksum', async () => {
    const snapshot = new SnapshotFile(dir, 'HR', 'person', 'hash-1');
    await snapshot.write(viewOf(objects), undefined);
    const bytes = await readFile(snapshot.file!);
    const header = bytes.subarray(0, bytes.indexOf(0x0a) + 1);
    const record = Buffer.from(bytes.subarray(header.length, header.length + 4 + bytes.readUInt32LE(header.length)));
    record.writeUInt32LE(0xffffff, 8); // the id's length (after the record's length and the id's hash), far past the record
    const body = Buffer.concat([header, record, Buffer.alloc(4)]);
    await writeFile(snapshot.file!, Buffer.concat([body, Buffer.from(`${JSON.stringify({ end: true, objects: 1, sha256: createHash('sha256').update(body).digest('hex') })}\n`)]));
    expect((await readAll(snapshot)).read).toEqual({ ok: false, reason: 'an unreadable object record' });
  });
});
