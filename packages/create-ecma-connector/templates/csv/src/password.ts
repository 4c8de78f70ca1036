import type { EntryError, PasswordSession, PasswordTarget, Secret } from '@ecmahost/sdk';
import { ConnectorError } from '@ecmahost/sdk';
import { ColumnValueError } from './columns.js';
// #if delta
import { appendJournal } from './journal.js';
// #endif
import { hashPassword, verifyPassword } from './password-hash.js';
import type { Settings } from './settings.js';
import { OBJECT_TYPE, PASSWORD_COLUMN } from './settings.js';
import { UsersFile } from './users-file.js';

type Located = { file: UsersFile; cells: string[]; anchor: string; column: number } | { error: EntryError };

async function locate(settings: Settings, target: PasswordTarget): Promise<Located> {
  const file = await UsersFile.load(settings);
  const column = file.columns.findIndex((c) => c.name === PASSWORD_COLUMN);
  if (column < 0) throw new ConnectorError('invalid-configuration', `${settings.filePath} has no ${PASSWORD_COLUMN} column for passwords`);
  if (target.objectType !== OBJECT_TYPE) {
    return { error: { code: 'invalid-provisioning-value', message: `This connector holds ${OBJECT_TYPE} objects, not ${target.objectType}` } };
  }
  const value = target.anchor[settings.anchor];
  if (value === undefined) return { error: { code: 'syntax-violation', message: `${settings.anchor} is required`, attribute: settings.anchor } };
  let anchor: string;
  try {
    anchor = file.anchorCell(value);
  } catch (error) {
    if (!(error instanceof ColumnValueError)) throw error;
    return { error: { code: 'syntax-violation', message: error.message, attribute: error.attribute } };
  }
  const row = file.rows[file.indexOf(anchor)];
  if (!row) return { error: { code: 'missing-object', message: `No user with ${settings.anchor} "${anchor}"` } };
  return { file, cells: row.cells, anchor, column };
}

async function store(located: Exclude<Located, { error: EntryError }>, password: Secret): Promise<EntryError | undefined> {
  if (password.isEmpty) return { code: 'syntax-violation', message: 'The password is empty' };
  // #if delta
  const previous = located.file.hash;
  // #endif
  located.cells[located.column] = await hashPassword(password.reveal());
  await located.file.save();
  // #if delta
  await appendJournal(located.file.settings.filePath, [{ operation: 'update', anchor: located.anchor }], previous, located.file.hash);
  // #endif
  return undefined;
}

/**
 * Opens a password session. Passwords are kept as scrypt hashes in the `PasswordHash` column, which
 * the file's header must have; it is never imported.
 */
export async function openPassword(settings: Settings): Promise<PasswordSession> {
  return {
    // The password never leaves this process: it is hashed before it touches the file.
    securityLevel: 'secure',
    async setPassword(target, password) {
      const located = await locate(settings, target);
      return 'error' in located ? located.error : store(located, password);
    },
    async changePassword(target, oldPassword, newPassword) {
      const located = await locate(settings, target);
      if ('error' in located) return located.error;
      if (!(await verifyPassword(oldPassword.reveal(), located.cells[located.column] ?? ''))) {
        return { code: 'permission-issue', message: 'The old password is wrong' };
      }
      return store(located, newPassword);
    },
    async close() {},
  };
}
