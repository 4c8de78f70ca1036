const SECRET_BRAND = Symbol.for('ecmahost.secret');
// Node's util.inspect hook, named through the registry so the SDK needs no `node:util` import.
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const MASK = '[secret]';

/**
 * A secret value (an `encryptedString` parameter, a password). It prints, logs and serialises as
 * `[secret]`; only {@link Secret.reveal} gives the clear text, so a secret reaches a log line or a
 * response only when code asks for it by name.
 */
export class Secret {
  readonly #value: string;
  readonly [SECRET_BRAND] = true;

  constructor(value: string) {
    this.#value = value;
  }

  /** The clear text. Call it at the last moment, where the value is handed to a driver. */
  reveal(): string {
    return this.#value;
  }

  /** Whether the secret holds the empty string. */
  get isEmpty(): boolean {
    return this.#value.length === 0;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [INSPECT](): string {
    return MASK;
  }
}

/**
 * Whether `value` is a {@link Secret}, also when it was made by another copy of the SDK
 * (a plugin may bundle its own), hence the registry symbol rather than `instanceof`.
 */
export function isSecret(value: unknown): value is Secret {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SECRET_BRAND] === true;
}

/** Wraps a clear-text string as a {@link Secret}; a Secret passes through unchanged. */
export function secret(value: string | Secret): Secret {
  return isSecret(value) ? value : new Secret(value);
}
