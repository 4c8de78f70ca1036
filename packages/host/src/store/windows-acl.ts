import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { OpsError } from './errors.js';

const run = promisify(execFile);

/** Well-known SIDs (language-independent, unlike the names "SYSTEM" and "Administrators"). */
const LOCAL_SYSTEM_SID = '*S-1-5-18';
const ADMINISTRATORS_SID = '*S-1-5-32-544';

/**
 * The `icacls` arguments that leave `file` readable and writable only by `account` (the account
 * the host or CLI runs as), LocalSystem and the local Administrators group: inherited entries are
 * removed (`/inheritance:r`) and each grant replaces any earlier one for that principal
 * (`/grant:r`). SYSTEM keeps access because a service without an account runs as it (WinSW's
 * default) and backup runs as it; Administrators because an elevated admin runs the CLI against
 * the service's data directory. The path is one argument, spaces and all: `execFile` quotes it,
 * no shell parses it.
 */
export function icaclsArguments(file: string, account: string): string[] {
  return [file, '/inheritance:r', '/grant:r', `${account}:F`, '/grant:r', `${LOCAL_SYSTEM_SID}:F`, '/grant:r', `${ADMINISTRATORS_SID}:F`, '/q'];
}

/** `DOMAIN\user` of the current process on Windows (`user` alone when no domain is known). */
export function currentWindowsAccount(env: NodeJS.ProcessEnv = process.env): string {
  const user = os.userInfo().username;
  const domain = env.USERDOMAIN;
  return domain === undefined || domain === '' ? user : `${domain}\\${user}`;
}

/**
 * On Windows, replaces the ACL of a secret file (host key, admin token, connector files, TLS key)
 * with {@link icaclsArguments}: `chmod 0600` does nothing there, and a file in a folder under
 * `C:\ProgramData` would otherwise inherit read access for every local user. Elsewhere it does
 * nothing (the POSIX mode already restricts the file). `icacls.exe` is run from System32, not
 * looked up on the PATH.
 */
export async function restrictWindowsFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (process.platform !== 'win32') return;
  const icacls = path.win32.join(env.SystemRoot ?? 'C:\\Windows', 'System32', 'icacls.exe');
  try {
    await run(icacls, icaclsArguments(file, currentWindowsAccount(env)), { windowsHide: true });
  } catch (error) {
    const output = (error as { stderr?: string; stdout?: string }).stderr || (error as { stdout?: string }).stdout || (error as Error).message;
    throw new OpsError('file-acl-failed', `could not restrict the access to ${file} to the current account with icacls: ${String(output).trim()}`, { cause: error });
  }
}
