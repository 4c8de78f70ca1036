import type { ConnectorDefinition } from '@ecmahost/sdk';
import type { HttpBindings } from '@hono/node-server';
import type { AuditSink } from '../audit/audit-event.js';
import type { PluginReport } from '../plugins/find-plugins.js';
import type { Host } from '../host.js';
import type { Store } from '../store/store.js';
import type { ActivityLog } from './activity-log.js';
import type { ImportTracker } from './import-tracker.js';
import type { ConsoleSession } from './sessions.js';

/** What the console's handlers share. */
export interface ConsoleDeps {
  host: Host;
  store: Store;
  activity: ActivityLog;
  imports: ImportTracker;
  findPlugins: () => Promise<PluginReport[]>;
  loadConnector: (spec: string) => Promise<ConnectorDefinition>;
  /** Where the console's changes are recorded, as actor `admin`. */
  audit: AuditSink;
}

/** The console's Hono environment. */
export type ConsoleEnv = { Bindings: Partial<HttpBindings>; Variables: { session: ConsoleSession } };

/** A posted form: field name → value (the last one when repeated). */
export type FormFields = Record<string, string | File | (string | File)[]>;

/** The string value of a form field. */
export function field(form: FormFields, name: string): string | undefined {
  const value = form[name];
  const one = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof one === 'string' ? one : undefined;
}

/** Every string value of a repeated form field. */
export function fields(form: FormFields, name: string): string[] {
  const value = form[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((v): v is string => typeof v === 'string');
}
