import type { CSEntryChange, EntryError, ExportEntryResult, ExportSession, Logger } from '@ecmahost/sdk';
import type { SqlConfig } from './config.js';
import type { Dialect, Executor } from './dialects/dialect.js';
import { EntryProblem, entryErrorOf, losesConnection } from './error-mapping.js';
import type { ObjectModel } from './object-model.js';
import { writeThroughRoutine } from './routine-writer.js';
import { writeToTable } from './table-writer.js';
import { planWrite } from './write-plan.js';

const SAVEPOINT = 'ecmahost_entry';

/** The whole transaction is gone (connection lost, commit refused): no entry of the batch is stored. */
class BatchLost extends Error {
  readonly entryError: EntryError;
  constructor(entryError: EntryError) {
    super(entryError.message);
    this.entryError = entryError;
  }
}

async function applyEntry(db: Executor, dialect: Dialect, config: SqlConfig, models: readonly ObjectModel[], entry: CSEntryChange): Promise<ExportEntryResult> {
  const model = models.find((m) => m.objectType === entry.objectType);
  if (!model) return { identifier: entry.identifier, error: { code: 'invalid-provisioning-value', message: `Unknown object type ${entry.objectType}.` } };
  const plan = planWrite(model, entry);
  if (entry.modification !== 'add' && model.anchors.some((a) => plan.anchor[a] === undefined)) {
    return { identifier: entry.identifier, error: { code: 'invalid-provisioning-value', message: `The entry has no anchor (${model.anchors.join(', ')}).` } };
  }
  const result = config.export.method === 'table' ? await writeToTable(db, dialect, model, entry, plan) : await writeThroughRoutine(db, dialect, config, model, entry, plan);
  return { identifier: entry.identifier, ...result };
}

/**
 * One batch in one transaction, each entry inside its own savepoint: a failing entry is rolled back
 * to its savepoint and reported, and the others are committed. When the connection or the
 * transaction itself is lost, nothing of the batch is stored and every entry is reported as a
 * retryable connected-directory error.
 */
export function openExportSession(dialect: Dialect, config: SqlConfig, models: readonly ObjectModel[], log: Logger): ExportSession {
  return {
    async putEntries(batch) {
      if (batch.length === 0) return [];
      try {
        return await dialect.withConnection(async (db) => {
          const tx = dialect.transactions;
          const release = tx.release(SAVEPOINT);
          await db.run(tx.begin);
          const results: ExportEntryResult[] = [];
          try {
            for (const entry of batch) {
              await db.run(tx.savepoint(SAVEPOINT));
              let result: ExportEntryResult;
              try {
                result = await applyEntry(db, dialect, config, models, entry);
                if (release) await db.run(release);
              } catch (error) {
                const described = error instanceof EntryProblem ? undefined : dialect.describeError(error);
                const entryError = described === undefined ? (error as EntryProblem).entryError : entryErrorOf(described);
                if (described !== undefined && losesConnection(described)) throw new BatchLost(entryError);
                try {
                  await db.run(tx.rollbackTo(SAVEPOINT));
                  if (release) await db.run(release);
                } catch (rollbackError) {
                  // MySQL rolls a whole transaction back on deadlock, taking the savepoint with it.
                  throw new BatchLost({ ...entryErrorOf(dialect.describeError(rollbackError)), retryable: true });
                }
                result = { identifier: entry.identifier, error: entryError };
              }
              results.push(result);
            }
            await db.run(tx.commit);
          } catch (error) {
            await db.run(tx.rollback).catch(() => {});
            throw error;
          }
          return results;
        });
      } catch (error) {
        const lost = error instanceof BatchLost ? error.entryError : { ...entryErrorOf(dialect.describeError(error)), retryable: true };
        const message = `The batch was not stored: ${lost.message}`;
        // Only the server's message and the count: entries carry personal data and passwords.
        log.warn({ dialect: dialect.name, entries: batch.length }, message);
        return batch.map((entry) => ({ identifier: entry.identifier, error: { code: 'connected-directory-error', message, retryable: true } }));
      }
    },
    async close() {},
  };
}
