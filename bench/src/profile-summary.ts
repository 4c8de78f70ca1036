/**
 * `node dist/profile-summary.js <file.cpuprofile> [top]`: the functions with the most self time
 * in a V8 CPU profile (as written by `--profile`), with their share of the samples, and the same
 * grouped by package — enough to say what bounds a scenario without opening DevTools. Frames in
 * the bench's bundled `dist/` files are mapped back to their source files through the source maps.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import type { SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

const maps = new Map<string, SourceMap | undefined>();

function sourceMapOf(url: string): SourceMap | undefined {
  if (!maps.has(url)) {
    const file = `${fileURLToPath(url)}.map`;
    maps.set(url, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as SourceMapPayload) : undefined);
  }
  return maps.get(url);
}

/** `file:line` of a frame, in its original source when a source map knows it. */
function location(frame: ProfileNode['callFrame']): string {
  if (frame.url.startsWith('file://') && frame.url.includes('/bench/dist/')) {
    const entry = sourceMapOf(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry !== undefined && 'originalSource' in entry && entry.originalSource !== undefined) {
      return `${entry.originalSource.replace(/^.*?\/(packages|plugins|bench)\//, '$1/')}:${String(entry.originalLine + 1)}`;
    }
  }
  const where = frame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/work\/main\//, '');
  return `${where}:${String(frame.lineNumber + 1)}`;
}

function packageOf(frame: ProfileNode['callFrame'], where: string): string {
  if (frame.url === '') return frame.functionName;
  if (frame.url.startsWith('node:')) return `node:${frame.url.slice(5).split('/')[0] ?? ''}`;
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url)?.[1];
  return module ?? where.split('/').slice(0, 2).join('/');
}

const [file, topText = '25'] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
const profile = JSON.parse(await readFile(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
const hits = new Map<number, number>();
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
const total = profile.samples.length;
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const node of profile.nodes) {
  const count = hits.get(node.id) ?? 0;
  if (count === 0) continue;
  const where = location(node.callFrame);
  const key = `${node.callFrame.functionName || '(anonymous)'} ${where}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + count);
  const pkg = packageOf(node.callFrame, where);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
}
const show = (title: string, map: Map<string, number>): void => {
  console.log(`\n${title}`);
  for (const [key, count] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(topText))) {
    console.log(`${((count / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
  }
};
// Inclusive time: each sample counts once for every distinct function on its stack, which is
// what says how much a whole step (the export, the response, the log line) costs.
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const nodeById = new Map(profile.nodes.map((n) => [n.id, n]));
const keyOf = new Map<number, string>();
const key = (node: ProfileNode): string => {
  let k = keyOf.get(node.id);
  if (k === undefined) {
    k = `${node.callFrame.functionName || '(anonymous)'} ${location(node.callFrame)}`;
    keyOf.set(node.id, k);
  }
  return k;
};
const inclusive = new Map<string, number>();
for (const [id, count] of hits) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const node = nodeById.get(at);
    if (node === undefined || node.callFrame.functionName === '(root)') continue;
    seen.add(key(node));
  }
  for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + count);
}
show(`self time by function (${String(total)} samples)`, byFunction);
show('self time by package', byPackage);
show('total time (self and callees) by function', inclusive);
