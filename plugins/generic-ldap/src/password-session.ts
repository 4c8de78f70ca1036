import type { PasswordSession } from '@ecmahost/sdk';
import { isConnectorError } from '@ecmahost/sdk';
import { resolveDn } from './anchor-lookup.js';
import { confine } from './containment.js';
import { entryErrorOf } from './errors.js';
import type { ExportContext } from './export-session.js';
import { passwordValue, usesPasswordModify } from './export-session.js';

/**
 * Sets passwords (ECMA2 `IMAExtensible2Password`): the Password Modify extended operation when the
 * server offers it (the server hashes per its policy), else a replace of the password attribute.
 */
export function openPasswordSession(ctx: ExportContext): PasswordSession {
  const { config } = ctx;
  return {
    securityLevel: config.tls === undefined ? 'notSecure' : 'secure',
    async setPassword(target, password) {
      try {
        const discovery = await ctx.discover();
        const exop = usesPasswordModify(config, discovery);
        await ctx.pool.use(async (connection) => {
          const bases = ctx.bases(discovery);
          const dn = await resolveDn(connection, config.anchor, target.anchor, target.dn, bases);
          confine(dn, bases, 'password set');
          if (exop) await connection.passwordModify(dn, password.reveal());
          else await connection.modify(dn, [{ operation: 'replace', attribute: config.passwordAttribute, values: [passwordValue(config, password.reveal())] }]);
        });
        return undefined;
      } catch (error) {
        const entryError = entryErrorOf(error);
        if (isConnectorError(error) && error.code === 'server-down') entryError.retryable = true;
        return entryError;
      }
    },
    async close() {},
  };
}
