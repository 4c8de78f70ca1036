import { EventEmitter } from 'node:events';
import * as tedious from 'tedious';
import type { ConnectionConfiguration, Request } from 'tedious';
import type { TediousModule } from '../../src/dialects/mssql-driver.js';

/** One request as the dialect handed it to tedious: the T-SQL text and each parameter's TDS type. */
export interface SentRequest {
  text: string;
  /** `execSqlBatch` (no parameters) rather than `execSql` (sp_executesql). */
  batch: boolean;
  params: { name: string; type: string; value: unknown }[];
}

/** The answer to a request, in the shape tedious delivers it: row events of `{ value, metadata }`, then the callback. */
export interface RecordedReply {
  columns?: readonly string[];
  rows?: readonly (readonly unknown[])[];
  rowCount?: number;
  error?: Error;
}

/**
 * tedious with its network `Connection` replaced by a recorder: the real `Request` and `TYPES`,
 * each parameter checked by its TDS type's own `validate` (the check tedious runs before it
 * writes the parameter to the wire), and replies delivered as tedious documents its `row` event
 * (an array of `{ value, metadata: { colName, type } }`) and request callback `(error, rowCount)`.
 * There is no SQL Server on this machine class: this proves the statements and the adapter, not a server.
 */
export function recordedTedious(reply: (sent: SentRequest) => RecordedReply = () => ({})): { module: TediousModule; sent: SentRequest[]; configs: ConnectionConfiguration[] } {
  const sent: SentRequest[] = [];
  const configs: ConnectionConfiguration[] = [];
  class RecordingConnection extends EventEmitter {
    constructor(config: ConnectionConfiguration) {
      super();
      configs.push(config);
    }
    connect(callback: (error?: Error) => void): void {
      setImmediate(() => callback());
    }
    close(): void {}
    execSql(request: Request): void {
      this.answer(request, false);
    }
    execSqlBatch(request: Request): void {
      this.answer(request, true);
    }
    private answer(request: Request, batch: boolean): void {
      const internal = request as unknown as {
        sqlTextOrProcedure: string;
        parameters: { name: string; type: { name: string; validate(value: unknown, collation?: unknown): unknown }; value: unknown }[];
        callback(error: Error | undefined, rowCount?: number): void;
      };
      const params = internal.parameters.map((p) => {
        p.type.validate(p.value, undefined);
        return { name: p.name, type: p.type.name, value: p.value };
      });
      const request_: SentRequest = { text: internal.sqlTextOrProcedure, batch, params };
      sent.push(request_);
      const { columns = [], rows = [], rowCount, error } = reply(request_);
      setImmediate(() => {
        for (const row of rows) request.emit('row', row.map((value, i) => ({ value, metadata: { colName: columns[i] ?? '', type: { name: 'recorded' } } })));
        internal.callback(error, rowCount ?? rows.length);
      });
    }
  }
  return { module: { Connection: RecordingConnection as unknown as TediousModule['Connection'], Request: tedious.Request, TYPES: tedious.TYPES }, sent, configs };
}
