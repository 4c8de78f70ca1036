export { consoleRoutes, mountConsole, SESSION_COOKIE } from './console-routes.js';
export type { ConsoleOptions, MountedConsole } from './console-routes.js';
export { ActivityLog, ACTIVITY_LIMIT } from './activity-log.js';
export type { RequestRecord, ExportErrorRecord } from './activity-log.js';
