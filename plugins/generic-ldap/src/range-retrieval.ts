import type { LdapEntry } from './client.js';

/**
 * AD's ranged retrieval (MS-ADTS §3.1.1.3.1.3.3): an attribute with more values than the server
 * returns at once (AD LDS's MaxValRange, 1500 by default) comes back as `member;range=0-1499`
 * instead of `member`, and the rest must be asked for as `member;range=1500-*`, until a range ends
 * in `*`.
 */

/** One ranged attribute description as the server returns it. */
export interface RangedName {
  /** The attribute description without the range option, e.g. `member`. */
  attribute: string;
  low: number;
  /** The last index returned, or `*` when these were the last values. */
  high: number | '*';
}

const RANGED = /^(.+);range=(\d+)-(\d+|\*)$/i;

/** Reads `member;range=0-1499` or `member;range=1500-*`; `undefined` for a description without a range. */
export function parseRangedName(name: string): RangedName | undefined {
  const match = RANGED.exec(name);
  if (match === null) return undefined;
  const [, attribute = '', low = '0', high = '*'] = match;
  return { attribute, low: Number(low), high: high === '*' ? '*' : Number(high) };
}

/** Whether an entry holds an attribute the server cut into ranges. */
export function hasRanges(entry: LdapEntry): boolean {
  for (const name in entry.attributes) if (RANGED.test(name)) return true;
  return false;
}

/** Reads the attribute description `request` (e.g. `member;range=1500-*`) of the entry at `dn`. */
export type RangeReader = (dn: string, request: string) => Promise<LdapEntry | undefined>;

/**
 * Completes every ranged attribute of `entry` in place: follows each range with a base search for
 * the next one and stores all values under the plain attribute name. Throws `Error` when the
 * server answers a follow-up without the range asked for (the entry changed, or the server does
 * not range as AD does), so that an import reports the entry rather than keep part of its values.
 */
export async function completeRanges(entry: LdapEntry, read: RangeReader): Promise<void> {
  for (const name of Object.keys(entry.attributes)) {
    let range = parseRangedName(name);
    if (range === undefined) continue;
    const values = [...(entry.attributes[name] ?? [])];
    delete entry.attributes[name];
    const { attribute } = range;
    while (range.high !== '*') {
      const next = range.high + 1;
      const answer = await read(entry.dn, `${attribute};range=${String(next)}-*`);
      const key = Object.keys(answer?.attributes ?? {}).find((k) => parseRangedName(k)?.attribute.toLowerCase() === attribute.toLowerCase());
      const found = key === undefined ? undefined : parseRangedName(key);
      if (answer === undefined || key === undefined || found === undefined || found.low !== next) {
        throw new Error(`${entry.dn}: the server did not return ${attribute} from value ${String(next)} on (ranged retrieval)`);
      }
      values.push(...(answer.attributes[key] ?? []));
      range = found;
    }
    entry.attributes[attribute] = values;
  }
}
