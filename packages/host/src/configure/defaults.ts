import type { DeleteFlow, DisableFlow, RunProfiles } from '../config/connector-config.js';

/** Microsoft's wizard's autosync default (minutes). */
export const DEFAULT_AUTOSYNC_MINUTES = 120;

/**
 * Hours between scheduled full imports when a configuration names none: deltas (watermark,
 * modifyTimestamp) cannot report deletions, so once a day a full import drops what the target lost.
 */
export const DEFAULT_FULL_IMPORT_HOURS = 24;

/** Import page size when none is given (Microsoft's exported sample uses 5000). */
export const DEFAULT_PAGE_SIZE = 5000;

/**
 * Disabling a user in Entra changes nothing in the target unless the admin picks an action:
 * deleting or flipping an attribute on a mere `active: false` would surprise more than it helps.
 */
export const DEFAULT_DISABLE_FLOW: DisableFlow = { action: 'none' };

/**
 * A SCIM DELETE deletes the object: that is what Entra asks for when it deprovisions, and a host
 * that answered 204 while keeping the object would leave accounts behind silently.
 */
export const DEFAULT_DELETE_FLOW: DeleteFlow = { action: 'delete' };

/**
 * The export profile written into every configuration. The host opens one export session per SCIM
 * write with a one-entry batch, so the stored batch size is legacy and ignored; it is still written
 * because configurations of earlier versions carry it and the store requires it.
 */
export const LEGACY_EXPORT_PROFILE: RunProfiles['export'] = { batchSize: 1 };

/**
 * A connector computing pages may return a series (schema 1, 2, 3...); this bounds a series that
 * never ends with an empty page.
 */
export const MAX_PAGES_PER_SECTION = 20;
