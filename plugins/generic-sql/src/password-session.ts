import type { EntryError, PasswordSession, PasswordTarget, Secret } from '@ecmahost/sdk';
import { sql } from 'drizzle-orm';
import type { SqlConfig } from './config.js';
import type { Dialect } from './dialects/dialect.js';
import { entryErrorOf } from './error-mapping.js';
import { columnSql, tableSql } from './identifiers.js';
import type { ObjectModel } from './object-model.js';
import { hashPassword } from './password-hash.js';
import { bind, objectCondition } from './sql-fragments.js';

/**
 * Sets passwords through the set-password procedure (anchor value(s), then the password) or by an
 * update of the password column, hashed as configured. The password is a bound parameter and is
 * revealed only at the call.
 */
export function openPasswordSession(dialect: Dialect, config: SqlConfig, models: readonly ObjectModel[]): PasswordSession {
  const set = async (target: PasswordTarget, password: Secret): Promise<EntryError | undefined> => {
    const model = models.find((m) => m.objectType === target.objectType);
    if (!model) return { code: 'invalid-provisioning-value', message: `Unknown object type ${target.objectType}.` };
    const missing = model.anchors.find((a) => target.anchor[a] === undefined);
    if (missing) return { code: 'invalid-provisioning-value', message: `The anchor ${missing} is missing.` };
    try {
      if (config.password.method === 'procedure') {
        const args = [...model.anchors.map((a) => bind(dialect.toDriver(target.anchor[a]))), bind(password.reveal())];
        await dialect.run(await dialect.callRoutine(config.password.procedure, args, 'statement'));
        return undefined;
      }
      if (config.password.method === 'column' && model.table) {
        const value = await hashPassword(password.reveal(), config.password.hash);
        const result = await dialect.run(
          sql`UPDATE ${tableSql(model.table)} SET ${columnSql(config.password.column)} = ${bind(value)} WHERE ${objectCondition(dialect, model, target.anchor)}`,
        );
        return result.affected === 0 ? { code: 'missing-object', message: `${model.objectType} ${Object.values(target.anchor).map(String).join('+')} does not exist.` } : undefined;
      }
      return { code: 'invalid-provisioning-value', message: 'No password method is configured.' };
    } catch (error) {
      return entryErrorOf(dialect.describeError(error));
    }
  };
  return {
    securityLevel: 'secure',
    setPassword: (target, password) => set(target, password),
    changePassword: (target, _old, password) => set(target, password),
    async close() {},
  };
}
