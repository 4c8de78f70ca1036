import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { launchdLabel, launchdPlist } from './launchd-plist.js';
import type { ServiceSpec } from './service-spec.js';
import { systemdUnit } from './systemd-unit.js';
import { winswXml } from './winsw-xml.js';

const run = promisify(execFile);

/** The service managers a definition is written for. */
export type ServicePlatform = 'systemd' | 'launchd' | 'winsw';

/** The platform names `--platform` takes, and the Node platform each stands for. */
export const SERVICE_PLATFORMS: Readonly<Record<string, ServicePlatform>> = { linux: 'systemd', darwin: 'launchd', win32: 'winsw', macos: 'launchd', windows: 'winsw' };

/** A service manager: where its definition goes, and the commands that load and unload it. */
export interface ServiceManager {
  platform: ServicePlatform;
  /** The definition's text. */
  definition(spec: ServiceSpec): string;
  /** The definition's file name in `dir`. */
  fileName(spec: ServiceSpec): string;
  /** The directory the manager reads definitions from (or, for WinSW, where the wrapper lives). */
  defaultDir(spec: ServiceSpec): string;
  /** Commands that enable and start the written definition, as the admin would type them. */
  enable(spec: ServiceSpec, file: string): string[][];
  /** Commands that stop and disable it. */
  disable(spec: ServiceSpec, file: string): string[][];
  /** The command that shows its state. */
  status(spec: ServiceSpec): string[];
  /** Whether this machine runs this manager, so that the commands can run here; else the reason. */
  unavailable(): Promise<string | undefined>;
}

/** Why systemd cannot take commands here (PID 1 is another program), or `undefined`. */
async function systemdUnavailable(): Promise<string | undefined> {
  if (process.platform !== 'linux') return `this is ${process.platform}, not Linux`;
  const init = (await readFile('/proc/1/comm', 'utf8').catch(() => 'unknown')).trim();
  return init === 'systemd' ? undefined : `systemd is not running here (PID 1 is ${init})`;
}

const systemd: ServiceManager = {
  platform: 'systemd',
  definition: systemdUnit,
  fileName: (spec) => `${spec.name}.service`,
  defaultDir: () => '/etc/systemd/system',
  enable: (spec) => [
    ['systemctl', 'daemon-reload'],
    ['systemctl', 'enable', '--now', `${spec.name}.service`],
  ],
  disable: (spec) => [['systemctl', 'disable', '--now', `${spec.name}.service`]],
  status: (spec) => ['systemctl', 'status', '--no-pager', `${spec.name}.service`],
  unavailable: systemdUnavailable,
};

const launchd: ServiceManager = {
  platform: 'launchd',
  definition: launchdPlist,
  fileName: (spec) => `${launchdLabel(spec)}.plist`,
  defaultDir: () => '/Library/LaunchDaemons',
  enable: (_spec, file) => [['launchctl', 'bootstrap', 'system', file]],
  disable: (spec) => [['launchctl', 'bootout', `system/${launchdLabel(spec)}`]],
  status: (spec) => ['launchctl', 'print', `system/${launchdLabel(spec)}`],
  unavailable: async () => (process.platform === 'darwin' ? undefined : `this is ${process.platform}, not macOS`),
};

const winsw: ServiceManager = {
  platform: 'winsw',
  definition: winswXml,
  fileName: (spec) => `${spec.name}.xml`,
  defaultDir: (spec) => path.join(spec.dataDir, 'service'),
  enable: (spec, file) => {
    const exe = path.join(path.dirname(file), `${spec.name}.exe`);
    return [
      [exe, 'install'],
      [exe, 'start'],
    ];
  },
  disable: (spec, file) => {
    const exe = path.join(path.dirname(file), `${spec.name}.exe`);
    return [
      [exe, 'stop'],
      [exe, 'uninstall'],
    ];
  },
  status: (spec) => ['sc.exe', 'query', spec.name],
  // The wrapper is downloaded by the admin; the host never fetches and runs an executable itself.
  unavailable: async () => 'WinSW is installed by hand: download it next to the XML file first',
};

/** The manager of a platform. */
export function serviceManager(platform: ServicePlatform): ServiceManager {
  return { systemd, launchd, winsw }[platform];
}

/** The platform of this machine, when it has a supported service manager. */
export function currentServicePlatform(): ServicePlatform | undefined {
  return SERVICE_PLATFORMS[os.platform()];
}

/** Runs one of a manager's commands; rejects with its output when it fails. */
export async function runServiceCommand(command: readonly string[]): Promise<string> {
  const [file = '', ...args] = command;
  try {
    const { stdout, stderr } = await run(file, args, { timeout: 60_000 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command.join(' ')} failed: ${(e.stderr ?? '').trim() || (e.stdout ?? '').trim() || e.message}`, { cause: error });
  }
}
