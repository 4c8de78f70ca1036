import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSelfSignedCertificate, writePemPair } from '../src/tls/self-signed.js';
import { useCliWorkspace } from './cli-harness.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('ecmahost cert commands (built binary)', () => {
  const workspace = useCliWorkspace({ prefix: 'ecmahost-cert-' });
  const { run } = workspace;

  beforeAll(async () => {
    expect((await run('init', '--host-name', 'ecma.contoso.test')).code).toBe(0);
  });

  it('cert show prints subject, SANs and days left of the certificate made by init', async () => {
    const result = await run('cert', 'show');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Subject:     CN=ecma.contoso.test');
    expect(result.stdout).toContain('SANs:        DNS:ecma.contoso.test, DNS:localhost, IP Address:127.0.0.1');
    expect(result.stdout).toMatch(/Days left: {3}(729|730)\n/);
    expect(result.stdout).toContain('(self-signed)');
    expect(result.stderr).toBe('');
  });

  it('cert generate makes a new certificate and cert show warns when it expires within 30 days', async () => {
    const before = await readFile(path.join(workspace.dataDir, 'tls', 'self-signed.crt'), 'utf8');
    const result = await run('cert', 'generate', '--host-name', 'agent-side.contoso.test', '--days', '20');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Subject:     CN=agent-side.contoso.test');
    expect(await readFile(path.join(workspace.dataDir, 'tls', 'self-signed.crt'), 'utf8')).not.toBe(before);
    const show = await run('cert', 'show');
    expect(show.stdout).toMatch(/Days left: {3}19\n/);
    expect(show.stderr).toContain('warning: the certificate expires in 19 days.');
    expect(await readFile(path.join(workspace.dataDir, 'host.yaml'), 'utf8')).toContain('hostName: agent-side.contoso.test');
  });

  it('cert use serves the admin\'s PEM pair, and refuses a key that does not match', async () => {
    const mine = await generateSelfSignedCertificate({ hostName: 'ca-issued.contoso.test' });
    const other = await generateSelfSignedCertificate({ hostName: 'other.contoso.test' });
    await writePemPair(mine, path.join(workspace.dir, 'mine.crt'), path.join(workspace.dir, 'mine.key'));
    await writePemPair(other, path.join(workspace.dir, 'other.crt'), path.join(workspace.dir, 'other.key'));
    const bad = await run('cert', 'use', '--cert', 'mine.crt', '--key', 'other.key');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`cannot use ${path.join(workspace.dir, 'mine.crt')} with ${path.join(workspace.dir, 'other.key')}`);
    const half = await run('cert', 'use', '--cert', 'mine.crt');
    expect(half.code).toBe(1);
    expect(half.stderr).toContain('--cert and --key go together');
    const ok = await run('cert', 'use', '--cert', 'mine.crt', '--key', 'mine.key');
    expect(ok.code, ok.stderr).toBe(0);
    const show = await run('cert', 'show');
    expect(show.stdout).toContain(`Source:      PEM ${path.join(workspace.dir, 'mine.crt')}`);
    expect(show.stdout).toContain('Subject:     CN=ca-issued.contoso.test');
  });

  it.skipIf(!hasOpenssl())('cert use accepts a PFX with its passphrase, stored encrypted (skipped without the openssl CLI to build the PFX)', async () => {
    execFileSync('openssl', ['pkcs12', '-export', '-in', path.join(workspace.dir, 'mine.crt'), '-inkey', path.join(workspace.dir, 'mine.key'), '-out', path.join(workspace.dir, 'mine.pfx'), '-passout', 'pass:pfx-Secret-1']);
    const wrong = await run('cert', 'use', '--pfx', 'mine.pfx', '--passphrase', 'nope');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('wrong passphrase?');
    const ok = await run('cert', 'use', '--pfx', 'mine.pfx', '--passphrase', 'pfx-Secret-1');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Subject:     CN=ca-issued.contoso.test');
    const settings = await readFile(path.join(workspace.dataDir, 'host.yaml'), 'utf8');
    expect(settings).not.toContain('pfx-Secret-1');
    expect(settings).toMatch(/passphrase: enc:v1:/);
    expect((await run('cert', 'show')).stdout).toContain(`Source:      PFX ${path.join(workspace.dir, 'mine.pfx')}`);
  });
});
