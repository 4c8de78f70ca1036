import { ConnectorError } from '@ecmahost/sdk';

/** What a watermark remembers: the strategy it was made for and the position reached. */
export interface Watermark {
  strategy: 'watermark' | 'changeTable';
  value: string | null;
  /** The value is bytes written as `0x…` hex: an SQL Server `rowversion` (binary(8)), bound back as bytes. */
  binary?: true;
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
  if (w.binary === true && w.value !== null && w.value !== undefined && !/^0x(?:[0-9a-f]{2})*$/i.test(w.value)) {
    throw new ConnectorError('invalid-watermark', 'The binary watermark is not hex; run a full import.');
  }
  return w.binary === true ? { strategy, value: w.value ?? null, binary: true } : { strategy, value: w.value ?? null };
}

/** The watermark of a database value: text, or hex for bytes (a `rowversion`). */
export function watermarkOf(strategy: Watermark['strategy'], raw: unknown): Watermark {
  return raw instanceof Uint8Array ? { strategy, value: watermarkText(raw), binary: true } : { strategy, value: watermarkText(raw) };
}

/** The value to compare a column with: the text, or the bytes again for a binary watermark. */
export function watermarkParameter(watermark: Watermark): unknown {
  if (watermark.binary === true && watermark.value !== null) return Buffer.from(watermark.value.slice(2), 'hex');
  return watermark.value;
}

/** A database value (a time, a number) as watermark text. */
export function watermarkText(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Date) return raw.toISOString();
  if (raw instanceof Uint8Array) return `0x${Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('hex')}`;
  return String(raw);
}
