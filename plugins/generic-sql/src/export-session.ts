import type { CSEntryChange, EntryError, ExportEntryResult, ExportSession, Logger } from '@ecmahost/sdk';
import type { SqlConfig } from './config.js';
import type { Dialect, Executor } from './dialects/dialect.js';
import { EntryProblem, entryErrorOf, losesConnection } from './error-mapping.js';
import type { ObjectModel } from './object-model.js';
import { writeThroughRoutine } from './routine-writer.js';
import { writeToTable } from './table-writer.js';
import { planWrite, type WritePlan } from './write-plan.js';

const SAVEPOINT = 'ecmahost_entry';

/** The whole transaction is gone (connection lost, commit refused): no entry of the batch is stored. */
class BatchLost extends Error {
  readonly entryError: EntryError;
  constructor(entryError: EntryError) {
    super(entryError.message);
    this.entryError = entryError;
  }
}

/** What one entry will do: an answer without touching the database, or a write to run. */
type Prepared =
  | { readonly done: ExportEntryResult }
  | { readonly done?: undefined; readonly model: ObjectModel; readonly plan: WritePlan; readonly singleStatement: boolean };

function prepareEntry(config: SqlConfig, models: readonly ObjectModel[], entry: CSEntryChange): Prepared {
  const model = models.find((m) => m.objectType === entry.objectType);
  if (!model) return { done: { identifier: entry.identifier, error: { code: 'invalid-provisioning-value', message: `Unknown object type ${entry.objectType}.` } } };
  let plan: WritePlan;
  try {
    plan = planWrite(model, entry);
  } catch (error) {
    if (error instanceof EntryProblem) return { done: { identifier: entry.identifier, error: error.entryError } };
    throw error;
  }
  if (entry.modification !== 'add' && model.anchors.some((a) => plan.anchor[a] === undefined)) {
    return { done: { identifier: entry.identifier, error: { code: 'invalid-provisioning-value', message: `The entry has no anchor (${model.anchors.join(', ')}).` } } };
  }
  // A table write with no child-table rows is one INSERT, UPDATE or DELETE, atomic on its own.
  // Routines may run several statements, and an UPDATE with no column checks existence first.
  const singleStatement =
    config.export.method === 'table' &&
    plan.multi.length === 0 &&
    (entry.modification === 'add' || (entry.modification === 'delete' ? model.multi === undefined : plan.columns.size > 0 || (plan.dn !== undefined && model.dn.mode === 'column')));
  return { model, plan, singleStatement };
}

async function applyEntry(db: Executor, dialect: Dialect, config: SqlConfig, entry: CSEntryChange, model: ObjectModel, plan: WritePlan): Promise<ExportEntryResult> {
  const result = config.export.method === 'table' ? await writeToTable(db, dialect, model, entry, plan) : await writeThroughRoutine(db, dialect, config, model, entry, plan);
  return { identifier: entry.identifier, ...result };
}

/** The entry's error for a failed write; throws {@link BatchLost} when the connection itself is gone. */
function entryFailure(dialect: Dialect, error: unknown): EntryError {
  const described = error instanceof EntryProblem ? undefined : dialect.describeError(error);
  const entryError = described === undefined ? (error as EntryProblem).entryError : entryErrorOf(described);
  if (described !== undefined && losesConnection(described)) throw new BatchLost(entryError);
  return entryError;
}

/**
 * A batch of one entry needs no savepoint: its transaction alone isolates it, and a single
 * statement needs no transaction either. Fewer round trips per write at one client, the same
 * per-entry errors as in a larger batch.
 */
async function putOne(db: Executor, dialect: Dialect, config: SqlConfig, entry: CSEntryChange, model: ObjectModel, plan: WritePlan, singleStatement: boolean): Promise<ExportEntryResult> {
  if (singleStatement) {
    try {
      return await applyEntry(db, dialect, config, entry, model, plan);
    } catch (error) {
      return { identifier: entry.identifier, error: entryFailure(dialect, error) };
    }
  }
  const tx = dialect.transactions;
  await db.run(tx.begin);
  let result: ExportEntryResult;
  try {
    result = await applyEntry(db, dialect, config, entry, model, plan);
  } catch (error) {
    let entryError: EntryError;
    try {
      entryError = entryFailure(dialect, error);
    } catch (lost) {
      await db.run(tx.rollback).catch(() => {});
      throw lost;
    }
    try {
      await db.run(tx.rollback);
    } catch (rollbackError) {
      throw new BatchLost({ ...entryErrorOf(dialect.describeError(rollbackError)), retryable: true });
    }
    return { identifier: entry.identifier, error: entryError };
  }
  try {
    await db.run(tx.commit);
  } catch (error) {
    await db.run(tx.rollback).catch(() => {});
    throw error;
  }
  return result;
}

/**
 * One batch in one transaction, each entry inside its own savepoint (a batch of one entry in a bare
 * transaction, or none for a single statement): a failing entry is rolled back to its savepoint
 * and reported, and the others are committed. When the connection or the
 * transaction itself is lost, nothing of the batch is stored and every entry is reported as a
 * retryable connected-directory error.
 */
export function openExportSession(dialect: Dialect, config: SqlConfig, models: readonly ObjectModel[], log: Logger): ExportSession {
  return {
    async putEntries(batch) {
      if (batch.length === 0) return [];
      try {
        const preparedBatch = batch.map((entry) => prepareEntry(config, models, entry));
        const [only] = preparedBatch;
        const [first] = batch;
        if (batch.length === 1 && only !== undefined && first !== undefined) {
          if (only.done !== undefined) return [only.done];
          return [await dialect.withConnection((db) => putOne(db, dialect, config, first, only.model, only.plan, only.singleStatement))];
        }
        return await dialect.withConnection(async (db) => {
          const tx = dialect.transactions;
          const release = tx.release(SAVEPOINT);
          await db.run(tx.begin);
          const results: ExportEntryResult[] = [];
          try {
            for (const [i, entry] of batch.entries()) {
              const prepared = preparedBatch[i]!;
              await db.run(tx.savepoint(SAVEPOINT));
              let result: ExportEntryResult;
              try {
                result = prepared.done ?? (await applyEntry(db, dialect, config, entry, prepared.model, prepared.plan));
                if (release) await db.run(release);
              } catch (error) {
                const entryError = entryFailure(dialect, error);
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
