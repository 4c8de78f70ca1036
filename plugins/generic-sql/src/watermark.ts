import { ConnectorError } from '@ecmahost/sdk';

/** What a watermark remembers: the strategy it was made for and the position reached. */
export interface Watermark {
  strategy: 'watermark' | 'changeTable';
  value: string | null;
}

/** The opaque watermark text handed to the host. */
export function encodeWatermark(watermark: Watermark): string {
  return JSON.stringify(watermark);
}

/**
 * Reads a watermark given back by the host; throws `invalid-watermark` (the host then runs a full
 * import) when it is missing or was made for another strategy.
 */
export function decodeWatermark(text: string | undefined, strategy: Watermark['strategy']): Watermark {
  if (text === undefined) throw new ConnectorError('invalid-watermark', 'A delta import needs the watermark of an earlier import; run a full import first.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConnectorError('invalid-watermark', 'The watermark is not one this connector wrote; run a full import.');
  }
  const w = parsed as Partial<Watermark>;
  if (w.strategy !== strategy || (w.value !== null && typeof w.value !== 'string')) {
    throw new ConnectorError('invalid-watermark', `The watermark was made for delta strategy "${String(w.strategy)}", not "${strategy}"; run a full import.`);
  }
  return { strategy, value: w.value ?? null };
}

/** A database value (a time, a number) as watermark text. */
export function watermarkText(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Date) return raw.toISOString();
  return String(raw);
}
