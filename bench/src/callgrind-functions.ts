/**
 * `node bench/dist/callgrind-functions.js <callgrind file> [--per N] [--top N]`: the instructions
 * of one thread's callgrind file (from `instructions.js --keep --functions`) by function, with the
 * JavaScript functions named. callgrind knows only the native symbols; V8's JIT code appears as
 * bare addresses, which the perf map V8 writes with `--perf-basic-prof` (`/tmp/perf-<pid>.map`,
 * one `start size name` line per compiled function) turns into names. `--per` divides by the
 * number of requests counted, to read instructions per request.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { per: { type: 'string', default: '1' }, top: { type: 'string', default: '40' } },
});
const [file] = positionals;
if (file === undefined) throw new Error('usage: node dist/callgrind-functions.js <callgrind file> [--per N] [--top N]');
const per = Number(values.per);
const top = Number(values.top);
if (!(per > 0) || !Number.isInteger(top) || top < 0) throw new Error('--per takes a positive number, --top a whole number');

const pid = /^pid:\s*(\d+)/m.exec(readFileSync(file, 'utf8').slice(0, 4096))?.[1];
if (pid === undefined) throw new Error(`${file} names no process`);

/** JIT code ranges, sorted by start; a later line for the same start (code replaced) wins. */
const ranges = readFileSync(`/tmp/perf-${pid}.map`, 'utf8')
  .split('\n')
  .flatMap((line) => {
    const [start, size, ...name] = line.split(' ');
    return start && size && name.length > 0 ? [{ start: parseInt(start, 16), end: parseInt(start, 16) + parseInt(size, 16), name: name.join(' ') }] : [];
  })
  .sort((a, b) => a.start - b.start);

function jsName(address: number): string | undefined {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (ranges[middle]!.start <= address) low = middle + 1;
    else high = middle - 1;
  }
  // Ranges do not nest, but a replaced function leaves its old range: look back a few for one that covers.
  for (let i = high; i >= 0 && i > high - 50; i--) if (address < ranges[i]!.end) return ranges[i]!.name;
  return undefined;
}

/** Where a native function's instructions go in the summary. */
function categoryOf(name: string): string {
  if (name.startsWith('JS ')) return 'JavaScript (JIT)';
  if (/v8::internal::(compiler|maglev|turboshaft)::/.test(name)) return 'V8 compiler';
  if (/Scaveng|Marking|Sweep|heap::|Heap::|Evacuat|GCTracer|MarkCompact/.test(name)) return 'V8 garbage collector';
  if (name.includes('Builtins_')) return 'V8 builtins';
  if (name.includes('v8::')) return 'V8 runtime';
  if (name.includes('node::')) return 'Node.js';
  if (/libssl|libcrypto/.test(name)) return 'OpenSSL';
  if (name.includes('libc.so')) return 'libc';
  return 'other';
}

const annotated = execFileSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const byFunction = new Map<string, number>();
let total = 0;
for (const line of annotated.split('\n')) {
  const match = /^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(\S.*)$/.exec(line);
  if (!match) continue;
  const count = Number(match[1]!.replaceAll(',', ''));
  let name = match[2]!;
  if (name.includes('PROGRAM TOTALS')) {
    total = count;
    continue;
  }
  const address = /^\?\?\?:0x([0-9a-f]+)/i.exec(name)?.[1];
  if (address !== undefined) name = `JS ${jsName(parseInt(address, 16)) ?? 'code outside the perf map'}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + count);
}
if (total === 0) throw new Error(`callgrind_annotate found no totals in ${file}`);

const byCategory = new Map<string, number>();
for (const [name, count] of byFunction) byCategory.set(categoryOf(name), (byCategory.get(categoryOf(name)) ?? 0) + count);
const line = (count: number, name: string): string => `${(count / per / 1000).toFixed(1).padStart(9)} k ${((100 * count) / total).toFixed(1).padStart(5)} %  ${name}`;
console.log(`${file}: ${(total / per / 1000).toFixed(1)} k instructions${per === 1 ? '' : ' per request'}\n`);
for (const [name, count] of [...byCategory].sort((a, b) => b[1] - a[1])) console.log(line(count, name));
console.log('');
for (const [name, count] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(line(count, name.slice(0, 160)));
