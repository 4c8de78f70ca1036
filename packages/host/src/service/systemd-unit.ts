import type { ServiceSpec } from './service-spec.js';
import { serveArguments } from './service-spec.js';

/**
 * One word of a unit file's command line or path list, quoted for systemd (systemd.syntax(7)):
 * double quotes with `\` and `"` escaped; `%` doubled, since systemd expands specifiers; `$`
 * doubled, since ExecStart expands environment variables.
 */
export function systemdQuote(word: string): string {
  return `"${word.replace(/[\\"]/g, (c) => `\\${c}`).replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

/**
 * The systemd unit that runs `ecmahost serve` on the data directory.
 *
 * - `Type=exec`: the unit counts as started once Node runs (a missing binary fails the start);
 *   readiness beyond that is `/readyz`, since sd_notify would need a native module.
 * - `Restart=on-failure`: a crash restarts the host; a clean stop (SIGTERM) does not.
 * - `ExecReload`: `systemctl reload` sends SIGHUP, which the host takes as `ecmahost reload`
 *   (connector files and the certificate re-read, connections and unchanged caches kept).
 * - `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`: glibc (2.35 and later) asks for transparent huge pages
 *   for its large allocations, which hold the connector space. A restart reads the space into new
 *   memory, and where the kernel backs it 4 KiB at a time that first touch was most of a restart
 *   at a million objects (decision 023). Ignored by older glibc and where THP is off.
 * - Hardening: the host writes only its data directory (`ProtectSystem=strict` with
 *   `ReadWritePaths`), gets a private /tmp, and can gain no privileges. No
 *   `MemoryDenyWriteExecute`: Node's JIT needs writable code pages.
 */
export function systemdUnit(spec: ServiceSpec): string {
  const lines = [
    '# Written by "ecmahost service install"; "ecmahost service uninstall" removes it.',
    '[Unit]',
    'Description=ecmahost ECMA Connector Host (SCIM 2.0 for Microsoft Entra provisioning)',
    'Documentation=https://github.com/ecmahost/ecmahost/blob/main/docs/admin/operations.md',
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=exec',
    ...(spec.user === undefined ? [] : [`User=${spec.user}`]),
    'Environment=NODE_ENV=production',
    'Environment=GLIBC_TUNABLES=glibc.malloc.hugetlb=1',
    `ExecStart=${serveArguments(spec).map(systemdQuote).join(' ')}`,
    'ExecReload=/bin/kill -HUP $MAINPID',
    // WorkingDirectory takes one path (spaces included) and no quotes; `-` would hide a missing one.
    `WorkingDirectory=${spec.dataDir.replace(/%/g, '%%')}`,
    'Restart=on-failure',
    'RestartSec=5',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    `ReadWritePaths=${systemdQuote(spec.dataDir)}`,
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectControlGroups=yes',
    'RestrictSUIDSGID=yes',
    'LockPersonality=yes',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ];
  return lines.join('\n');
}
