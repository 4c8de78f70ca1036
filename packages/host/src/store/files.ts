import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { restrictWindowsFile } from './windows-acl.js';

/** Mode of the data directory and every folder in it (POSIX): its owner only. */
export const DATA_DIR_MODE = 0o700;

/** Mode of every file the host writes in its data directory (POSIX): its owner only. */
export const DATA_FILE_MODE = 0o600;

/**
 * Writes a file atomically and durably: a temporary file in the same folder, flushed to disk, then
 * renamed over `file`, and the folder flushed so the rename itself survives a power loss. A crash
 * or power cut leaves the old file or the new one, never an empty or half-written one. Missing
 * folders are created owner-only ({@link DATA_DIR_MODE}); the file gets `mode`
 * ({@link DATA_FILE_MODE} unless a caller needs another). On Windows, where modes do nothing, an
 * owner-only file gets an ACL for the current account instead, before it takes the file's name.
 */
export async function writeFileAtomic(file: string, content: string | Buffer, mode = DATA_FILE_MODE): Promise<void> {
  const folder = path.dirname(file);
  await mkdir(folder, { recursive: true, mode: DATA_DIR_MODE });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if ((mode & 0o077) === 0) await restrictWindowsFile(temp);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/**
 * Flushes a folder's entries (the rename) to disk. Windows cannot open a folder for this and
 * NTFS journals the rename itself, so there the refusal is expected and ignored.
 */
export async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
  } catch (error) {
    if (process.platform === 'win32') return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (process.platform !== 'win32' && code !== 'EINVAL' && code !== 'EBADF') throw error;
  } finally {
    await handle.close();
  }
}

/**
 * Makes `folder` owner-only ({@link DATA_DIR_MODE}) and each file directly in it
 * ({@link DATA_FILE_MODE}), on POSIX; a missing folder is left missing. Data directories made by
 * earlier versions had 0755 folders and 0644 files, readable by every local account.
 */
export async function restrictFolder(folder: string): Promise<void> {
  // Windows has no such modes: the data directory inherits the ACL of the folder it is made in.
  if (process.platform === 'win32') return;
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await chmod(folder, DATA_DIR_MODE);
  for (const entry of entries) if (entry.isFile()) await chmod(path.join(folder, entry.name), DATA_FILE_MODE);
}

/** Reads a UTF-8 file, or `undefined` when it does not exist. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
