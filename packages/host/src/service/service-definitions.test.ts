import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { launchdPlist } from './launchd-plist.js';
import type { ServiceSpec } from './service-spec.js';
import { checkServiceName } from './service-spec.js';
import { systemdQuote, systemdUnit } from './systemd-unit.js';
import { windowsQuote, winswXml } from './winsw-xml.js';

const mac: ServiceSpec = {
  name: 'ecmahost',
  nodePath: '/usr/local/bin/node',
  cliPath: '/Users/Admin Person/Library/ecmahost & co/node_modules/@ecmahost/host/dist/cli.js',
  dataDir: '/Library/Application Support/ecmahost <prod>',
  user: '_ecmahost',
};
const windows: ServiceSpec = {
  name: 'ecmahost-hr',
  nodePath: 'C:\\Program Files\\nodejs\\node.exe',
  cliPath: 'C:\\Program Files\\ecmahost\\node_modules\\@ecmahost\\host\\dist\\cli.js',
  dataDir: 'C:\\ProgramData\\ecmahost data\\',
  user: 'NT SERVICE\\ecmahost & "HR"',
};

type Node = Record<string, Node[] | string>;
const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, processEntities: true });

/** A plist (as fast-xml-parser reads it, in order) as the JavaScript value launchd sees. */
function plistValue(node: Node): unknown {
  const [tag] = Object.keys(node).filter((k) => k !== ':@');
  const children = (node[tag ?? ''] ?? []) as Node[];
  switch (tag) {
    case 'string':
    case 'key':
      return children.map((c) => c['#text']).join('');
    case 'true':
      return true;
    case 'false':
      return false;
    case 'array':
      return children.map(plistValue);
    case 'dict': {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < children.length; i += 2) out[plistValue(children[i]!) as string] = plistValue(children[i + 1]!);
      return out;
    }
    default:
      throw new Error(`unexpected plist element ${String(tag)}`);
  }
}

/** How Node on Windows would split a command line (`CommandLineToArgvW` rules), for checking the quoting. */
function splitWindows(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    let arg = '';
    let quoted = false;
    for (; i < line.length && (quoted || line[i] !== ' '); i++) {
      let backslashes = 0;
      while (line[i] === '\\') {
        backslashes++;
        i++;
      }
      if (line[i] === '"') {
        arg += '\\'.repeat(Math.floor(backslashes / 2));
        if (backslashes % 2 === 1) arg += '"';
        else quoted = !quoted;
      } else {
        arg += '\\'.repeat(backslashes);
        if (i < line.length) arg += line[i];
        else break;
      }
    }
    args.push(arg);
  }
  return args;
}

describe('the launchd job', () => {
  it('is a well-formed plist whose arguments, user and paths come back exactly, spaces and XML characters included', () => {
    const xml = launchdPlist(mac);
    expect(XMLValidator.validate(xml)).toBe(true);
    const root = (parser.parse(xml) as Node[]).find((n) => 'plist' in n)!;
    const job = plistValue((root.plist as Node[])[0]!) as Record<string, unknown>;
    expect(job).toEqual({
      Label: 'io.ecmahost.ecmahost',
      ProgramArguments: [mac.nodePath, mac.cliPath, '--data-dir', mac.dataDir, 'serve'],
      UserName: '_ecmahost',
      WorkingDirectory: mac.dataDir,
      EnvironmentVariables: { NODE_ENV: 'production' },
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      StandardOutPath: `${mac.dataDir}/logs/ecmahost.log`,
      StandardErrorPath: `${mac.dataDir}/logs/ecmahost.log`,
    });
  });
});

describe('the WinSW service definition', () => {
  it('is well-formed XML whose arguments split back into the same paths, spaces, quotes and a trailing backslash included', () => {
    const xml = winswXml(windows);
    expect(XMLValidator.validate(xml)).toBe(true);
    const service = new XMLParser({ ignoreAttributes: false, processEntities: true }).parse(xml).service as Record<string, unknown>;
    expect(service).toMatchObject({
      id: 'ecmahost-hr',
      name: 'ecmahost (ecmahost-hr)',
      executable: windows.nodePath,
      workingdirectory: windows.dataDir,
      onfailure: { '@_action': 'restart', '@_delay': '10 sec' },
      logpath: 'C:\\ProgramData\\ecmahost data\\logs',
      serviceaccount: { username: windows.user, allowservicelogon: true },
    });
    expect(splitWindows(service.arguments as string)).toEqual([windows.cliPath, '--data-dir', windows.dataDir, 'serve']);
  });

  it('quotes what Windows would split, and leaves plain words alone', () => {
    for (const arg of ['plain', 'with space', 'trailing\\', 'C:\\a b\\', 'say "hi"', 'back\\"slash', '']) expect(splitWindows(windowsQuote(arg))).toEqual([arg]);
    expect(windowsQuote('serve')).toBe('serve');
  });
});

describe('the systemd unit', () => {
  it('quotes ExecStart words and ReadWritePaths, doubling % and $ so that systemd expands nothing', () => {
    const unit = systemdUnit({ name: 'ecmahost', nodePath: '/usr/bin/node', cliPath: '/opt/eh/dist/cli.js', dataDir: '/srv/data 100% "$HOME"\\x', user: 'ecmahost' });
    expect(unit).toContain('ExecStart="/usr/bin/node" "/opt/eh/dist/cli.js" "--data-dir" "/srv/data 100%% \\"$$HOME\\"\\\\x" "serve"');
    expect(unit).toContain('ReadWritePaths="/srv/data 100%% \\"$$HOME\\"\\\\x"');
    expect(systemdQuote('a')).toBe('"a"');
  });

  it('runs the host with production Node and huge pages for the connector space (decision 023)', () => {
    const lines = systemdUnit({ name: 'ecmahost', nodePath: '/usr/bin/node', cliPath: '/opt/eh/dist/cli.js', dataDir: '/srv/data' }).split('\n');
    expect(lines.filter((line) => line.startsWith('Environment='))).toEqual(['Environment=NODE_ENV=production', 'Environment=GLIBC_TUNABLES=glibc.malloc.hugetlb=1']);
  });
});

describe('service names', () => {
  it('accepts what every manager accepts and refuses the rest with the flag named', () => {
    expect(checkServiceName('ecmahost-hr_2.prod')).toBe('ecmahost-hr_2.prod');
    for (const bad of ['', '-x', 'a b', 'a/b', 'x'.repeat(65)]) expect(() => checkServiceName(bad)).toThrow(/--name expects/);
  });
});
