import type { AttributeValue } from '@ecmahost/sdk';
import type { DirectoryAttribute } from './schema-builder.js';
import { textFormOf } from './binary-text.js';
import { fromGeneralizedTime, toGeneralizedTime } from './syntax.js';

const allText = (raw: readonly (string | Buffer)[]): raw is string[] => {
  for (const v of raw) if (typeof v !== 'string') return false;
  return true;
};

/** Converts the values of one attribute as read from the directory (see {@link valueReader}). */
export type ValueReader = (raw: (string | Buffer)[]) => AttributeValue[];

/**
 * The converter of values read from the directory to the attribute's data type, worked out once
 * per attribute rather than per value: an import converts a million entries' values with it.
 * Throws `TypeError` naming the value when it does not fit (an integer attribute holding text),
 * which an import reports as the entry's error. Text read as text is already converted: `raw`
 * itself comes back, which saves a copy of most values of an import.
 */
export function valueReader(attribute: Pick<DirectoryAttribute, 'type' | 'name'>): ValueReader {
  // objectGUID and objectSid are read as bytes and shown as AD tools show them, so that a value reads the same here and in AD.
  const form = textFormOf(attribute.name);
  if (form !== undefined) return (raw) => raw.map((v) => form.toText(typeof v === 'string' ? Buffer.from(v, 'latin1') : v));
  const convert = (v: string | Buffer): AttributeValue => {
    switch (attribute.type) {
      case 'binary':
        return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
      case 'integer': {
        const text = v.toString();
        if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new TypeError(`${attribute.name}: "${text}" is not an integer`);
        return Number(text);
      }
      case 'boolean': {
        const text = v.toString();
        if (text !== 'TRUE' && text !== 'FALSE') throw new TypeError(`${attribute.name}: "${text}" is not TRUE or FALSE`);
        return text === 'TRUE';
      }
      case 'datetime':
        return fromGeneralizedTime(v.toString());
      case 'string':
      case 'reference':
        return v.toString();
    }
  };
  if (attribute.type === 'string' || attribute.type === 'reference') return (raw) => (allText(raw) ? raw : raw.map(convert));
  return (raw) => raw.map(convert);
}

/**
 * Converts one value to its LDAP form (RFC 4517: INTEGER as digits, Boolean as TRUE/FALSE,
 * Generalized Time; an objectGUID's or objectSid's text form as its bytes). Throws `TypeError` naming a value
 * that does not fit.
 */
export function toLdap(attribute: Pick<DirectoryAttribute, 'type' | 'name'>, value: AttributeValue): string | Buffer {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const form = textFormOf(attribute.name);
  if (form !== undefined) return form.fromText(String(value));
  switch (attribute.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw new TypeError(`${attribute.name} takes true or false, not ${JSON.stringify(value)}`);
      return value ? 'TRUE' : 'FALSE';
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TypeError(`${attribute.name} takes an integer, not ${JSON.stringify(value)}`);
      return String(value);
    case 'datetime':
      return toGeneralizedTime(String(value));
    case 'binary':
      return typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.from(String(value));
    case 'string':
    case 'reference':
      return String(value);
  }
}
