import type { Secret } from './secret.js';
import type { AnchorValues } from './values.js';
import type { EntryError } from './export.js';
import type { Partition } from './partitions.js';

/** Options of a password set (ECMA2 `PasswordOptions`). */
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
  securityLevel: ConnectionSecurityLevel;
  setPassword(target: PasswordTarget, password: Secret, options: PasswordOptions): Promise<EntryError | undefined>;
  changePassword?(target: PasswordTarget, oldPassword: Secret, newPassword: Secret): Promise<EntryError | undefined>;
  close(): Promise<void>;
}

/** How a password session is opened. */
export interface PasswordRunStep {
  partition?: Partition;
}
