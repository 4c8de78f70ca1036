/**
 * AD's `objectSid` bytes (MS-DTYP §2.4.2.2): revision, sub-authority count, a 48-bit identifier
 * authority big-endian, then each 32-bit sub-authority little-endian; shown as `S-1-5-21-…`
 * (MS-DTYP §2.4.2.1, the authority in hex when it does not fit 32 bits).
 */

const SID_TEXT = /^S-1-(\d+|0x[0-9a-f]{12})((?:-\d+){1,15})$/i;

/** The `S-1-…` text form of SID bytes. Throws `TypeError` when the bytes are not a SID. */
export function sidToText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = buffer[1] ?? 0;
  if (buffer.length < 8 || buffer[0] !== 1 || buffer.length !== 8 + 4 * count) throw new TypeError(`${buffer.toString('hex')} is not a SID`);
  const authority = buffer.readUIntBE(2, 6);
  const authorityText = authority < 2 ** 32 ? String(authority) : `0x${buffer.subarray(2, 8).toString('hex').toUpperCase()}`;
  const subs = Array.from({ length: count }, (_, i) => String(buffer.readUInt32LE(8 + 4 * i)));
  return ['S', '1', authorityText, ...subs].join('-');
}

/** The bytes of a SID written `S-1-…`. Throws `TypeError` naming the value when it is not a SID. */
export function sidFromText(text: string): Buffer {
  const match = SID_TEXT.exec(text.trim());
  const subs = match?.[2]?.slice(1).split('-').map(Number) ?? [];
  const authority = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (match === null || !Number.isSafeInteger(authority) || authority >= 2 ** 48 || subs.some((s) => s > 0xffffffff)) {
    throw new TypeError(`"${text}" is not a SID (S-1-<authority>-<sub-authority>…)`);
  }
  const bytes = Buffer.alloc(8 + 4 * subs.length);
  bytes[0] = 1;
  bytes[1] = subs.length;
  bytes.writeUIntBE(authority, 2, 6);
  subs.forEach((s, i) => bytes.writeUInt32LE(s, 8 + 4 * i));
  return bytes;
}
