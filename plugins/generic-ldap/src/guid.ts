/**
 * AD's `objectGUID` is 16 bytes in Windows' GUID layout (MS-DTYP §2.3.4.2): Data1 (4 bytes),
 * Data2 and Data3 (2 bytes each) little-endian, then Data4's 8 bytes in order. AD tools show it
 * as `35918bc9-196d-40ea-9779-889d79b753f0` (PowerShell) or `{35918BC9-196D-40EA-9779-889D79B753F0}`
 * (ADSI Edit), which is why the first three groups read reversed against the bytes.
 */

const GUID_TEXT = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

/** The byte positions of each hex pair of the text form, in the order the text shows them. */
const TEXT_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15] as const;

/** The text form of 16 GUID bytes, lower case without braces as PowerShell's `Get-ADUser` shows it. */
export function guidToText(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new TypeError(`a GUID is 16 bytes, not ${String(bytes.length)}`);
  const hex = TEXT_ORDER.map((i) => (bytes[i] ?? 0).toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The 16 bytes AD stores for a GUID written as text, with or without braces, in any case. Throws
 * `TypeError` naming the value when it is not a GUID.
 */
export function guidFromText(text: string): Buffer {
  const match = GUID_TEXT.exec(text.trim());
  if (match === null) throw new TypeError(`"${text}" is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, braces optional)`);
  const hex = match.slice(1).join('');
  const bytes = Buffer.alloc(16);
  TEXT_ORDER.forEach((position, i) => {
    bytes[position] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  });
  return bytes;
}
