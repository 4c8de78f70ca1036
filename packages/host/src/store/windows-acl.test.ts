// The ACL given to secret files on Windows. icacls itself was not run here (Linux CI): these tests
// check the arguments it would get and that nothing happens off Windows.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { windowsQuote } from '../service/winsw-xml.js';
import { writeFileAtomic } from './files.js';
import { currentWindowsAccount, icaclsArguments, restrictWindowsFile } from './windows-acl.js';

describe('icaclsArguments', () => {
  it('removes inherited entries and grants full control to the account, SYSTEM and Administrators only', () => {
    expect(icaclsArguments('C:\\ProgramData\\ecmahost\\host.key', 'CONTOSO\\svc-ecmahost')).toEqual([
      'C:\\ProgramData\\ecmahost\\host.key',
      '/inheritance:r',
      '/grant:r',
      'CONTOSO\\svc-ecmahost:F',
      '/grant:r',
      '*S-1-5-18:F',
      '/grant:r',
      '*S-1-5-32-544:F',
      '/q',
    ]);
  });

  it('keeps a path with spaces, quotes and percent signs as one argument, quoted only on the command line', () => {
    const file = 'C:\\Program Data\\eh "test" 100%\\admin-token';
    const args = icaclsArguments(file, 'NT SERVICE\\ecmahost');
    expect(args[0]).toBe(file);
    expect(args[3]).toBe('NT SERVICE\\ecmahost:F');
    // What CreateProcess receives once execFile has quoted each argument (no shell: % expands nothing).
    expect(args.map(windowsQuote).join(' ')).toBe(
      '"C:\\Program Data\\eh \\"test\\" 100%\\admin-token" /inheritance:r /grant:r "NT SERVICE\\ecmahost:F" /grant:r *S-1-5-18:F /grant:r *S-1-5-32-544:F /q',
    );
  });
});

describe('currentWindowsAccount', () => {
  it('is DOMAIN\\user when USERDOMAIN is set, else the user name alone', () => {
    const user = os.userInfo().username;
    expect(currentWindowsAccount({ USERDOMAIN: 'CONTOSO' })).toBe(`CONTOSO\\${user}`);
    expect(currentWindowsAccount({})).toBe(user);
  });
});

describe.skipIf(process.platform === 'win32')('restrictWindowsFile off Windows', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('leaves the POSIX mode 0600 of an atomically written secret file as it is', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ecmahost acl '));
    const file = path.join(dir, 'host key');
    await writeFileAtomic(file, 'secret\n');
    await restrictWindowsFile(file);
    expect(await readFile(file, 'utf8')).toBe('secret\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});
