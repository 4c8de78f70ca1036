import type { Secret } from './secret.js';
import type { AnchorValues } from './values.js';
import type { EntryError } from './export.js';
import type { Partition } from './partitions.js';

/**
 * Options of a password set (ECMA2 `PasswordOptions`).
 *
 * @remarks `@ecmahost/host` sets none of them: Entra's SCIM requests carry no such flags.
 */
export interface PasswordOptions {
  /** The user must change the password at next logon. */
  forceChangeAtLogon?: boolean;
  /** Unlock the account if it is locked. */
  unlockAccount?: boolean;
  /** Check the password against the target's policy without a history override. */
  validatePassword?: boolean;
}

/** The object whose password changes. */
export interface PasswordTarget {
  objectType: string;
  anchor: AnchorValues;
  dn?: string;
}

/** How an open password session protects passwords on the wire (ECMA2 `ConnectionSecurityLevel`). */
export type ConnectionSecurityLevel = 'secure' | 'notSecure';

/**
 * Password operations (ECMA2 `IMAExtensible2Password`). Both return `undefined` on success or an
 * {@link EntryError} for an expected failure (no such object, policy violation → `syntax-violation`).
 */
export interface PasswordSession {
  /**
   * Whether passwords travel encrypted to the target; a host may refuse `notSecure` sessions.
   *
   * @remarks `@ecmahost/host` does not read it.
   */
  securityLevel: ConnectionSecurityLevel;
  /** Sets a password, as an admin would (after an add, or a reset). */
  setPassword(target: PasswordTarget, password: Secret, options: PasswordOptions): Promise<EntryError | undefined>;
  /**
   * Changes a password given the old one, as the user would; optional.
   *
   * @remarks Not used by `@ecmahost/host`: Entra only sets passwords, and the host's SCIM service
   * says `changePassword` is not supported.
   */
  changePassword?(target: PasswordTarget, oldPassword: Secret, newPassword: Secret): Promise<EntryError | undefined>;
  /** Ends the session and releases what it holds. */
  close(): Promise<void>;
}

/** How a password session is opened. */
export interface PasswordRunStep {
  /**
   * The partition of the objects, where the connector supports partitions.
   *
   * @remarks Not used by `@ecmahost/host`: never set.
   */
  partition?: Partition;
}
