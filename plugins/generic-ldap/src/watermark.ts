import { ConnectorError } from '@ecmahost/sdk';

/** Which change log a watermark is a position in. */
export type WatermarkMethod = 'accesslog' | 'changelog' | 'modifyTimestamp' | 'usnChanged';

/** A position in a change log: a reqStart time, a change number, a modifyTimestamp, or an update sequence number (uSNChanged). */
export interface Watermark {
  method: WatermarkMethod;
  /** Empty means "from the start of the log". */
  position: string;
}

/** The opaque string the host stores. */
export function formatWatermark(watermark: Watermark): string {
  return JSON.stringify({ v: 1, method: watermark.method, position: watermark.position });
}

/**
 * Reads a stored watermark; throws `ConnectorError('invalid-watermark')` when it is not one of
 * ours or was made for another delta method (the host then runs a full import).
 */
export function parseWatermark(text: string | undefined, method: WatermarkMethod): Watermark {
  if (text === undefined || text === '') throw new ConnectorError('invalid-watermark', 'a delta import needs the watermark of a previous import; run a full import first');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConnectorError('invalid-watermark', 'the stored watermark is not one this connector wrote; run a full import');
  }
  const w = parsed as Partial<Record<'v' | 'method' | 'position', unknown>>;
  if (w.v !== 1 || typeof w.position !== 'string' || typeof w.method !== 'string') {
    throw new ConnectorError('invalid-watermark', 'the stored watermark is not one this connector wrote; run a full import');
  }
  if (w.method !== method) {
    throw new ConnectorError('invalid-watermark', `the stored watermark is a ${w.method} position but the delta method is now ${method}; run a full import`);
  }
  if (method === 'changelog' && !/^\d*$/.test(w.position)) throw new ConnectorError('invalid-watermark', 'the stored change number is not a number; run a full import');
  if (method === 'usnChanged' && !/^\d*$/.test(w.position)) throw new ConnectorError('invalid-watermark', 'the stored uSNChanged is not a number; run a full import');
  if ((method === 'accesslog' || method === 'modifyTimestamp') && !/^(\d{14}(\.\d+)?Z)?$/.test(w.position)) throw new ConnectorError('invalid-watermark', 'the stored time is not a generalized time; run a full import');
  return { method, position: w.position };
}
