import { guidFromText, guidToText } from './guid.js';
import { sidFromText, sidToText } from './sid.js';

/** How an AD binary attribute travels as the text AD tools show. */
export interface TextForm {
  /** The text of the stored bytes; throws `TypeError` when they are not of the form. */
  toText(bytes: Uint8Array): string;
  /** The bytes to store for the text; throws `TypeError` naming a value that is not of the form. */
  fromText(text: string): Buffer;
}

// Both are assigned by AD and read as anchors or for correlation; their bytes mean nothing to an admin.
const FORMS: ReadonlyMap<string, TextForm> = new Map([
  ['objectguid', { toText: guidToText, fromText: guidFromText }],
  ['objectsid', { toText: sidToText, fromText: sidFromText }],
]);

/** The text form of an attribute AD stores as bytes (`objectGUID`, `objectSid`); `undefined` for others. */
export function textFormOf(name: string): TextForm | undefined {
  return FORMS.get(name.toLowerCase());
}
