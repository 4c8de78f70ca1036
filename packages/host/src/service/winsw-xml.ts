import { xmlEscape } from './launchd-plist.js';
import type { ServiceSpec } from './service-spec.js';
import { DEFAULT_SERVICE_NAME, serveArguments } from './service-spec.js';

/**
 * One argument quoted for a Windows command line as `CommandLineToArgvW` (and Node) split it: in
 * double quotes when it has spaces, tabs or quotes, with backslashes doubled before a quote and at
 * the end, and quotes escaped.
 */
export function windowsQuote(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const c of arg) {
    if (c === '\\') {
      backslashes++;
      continue;
    }
    out += c === '"' ? `${'\\'.repeat(backslashes * 2 + 1)}"` : `${'\\'.repeat(backslashes)}${c}`;
    backslashes = 0;
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

/**
 * The WinSW (v2.12) service definition that runs `ecmahost serve` on the data directory: WinSW is
 * one executable that reads the XML file of the same name next to it. Stopping the service sends
 * Ctrl+C, which Node receives as SIGINT: the same graceful stop as SIGTERM on Linux, cut after
 * `stoptimeout`. A failure restarts the service after 10 seconds; logs roll by size in
 * `<data dir>\logs`. Without a user, WinSW runs the service as LocalSystem.
 */
export function winswXml(spec: ServiceSpec): string {
  const [executable = '', ...args] = serveArguments(spec);
  const logDir = `${spec.dataDir.replace(/[\\/]+$/, '')}\\logs`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!-- Written by "ecmahost service install" for WinSW 2.12 (https://github.com/winsw/winsw): save WinSW-x64.exe next to this file under the same name, .exe instead of .xml. -->',
    '<service>',
    `  <id>${xmlEscape(spec.name)}</id>`,
    `  <name>${xmlEscape(spec.name === DEFAULT_SERVICE_NAME ? spec.name : `ecmahost (${spec.name})`)}</name>`,
    '  <description>ecmahost ECMA Connector Host (SCIM 2.0 for Microsoft Entra provisioning)</description>',
    `  <executable>${xmlEscape(executable)}</executable>`,
    `  <arguments>${xmlEscape(args.map(windowsQuote).join(' '))}</arguments>`,
    `  <workingdirectory>${xmlEscape(spec.dataDir)}</workingdirectory>`,
    '  <env name="NODE_ENV" value="production"/>',
    '  <startmode>Automatic</startmode>',
    '  <onfailure action="restart" delay="10 sec"/>',
    '  <stoptimeout>40 sec</stoptimeout>',
    `  <logpath>${xmlEscape(logDir)}</logpath>`,
    '  <log mode="roll-by-size">',
    '    <sizeThreshold>10240</sizeThreshold>',
    '    <keepFiles>8</keepFiles>',
    '  </log>',
    ...(spec.user === undefined ? [] : ['  <serviceaccount>', `    <username>${xmlEscape(spec.user)}</username>`, '    <allowservicelogon>true</allowservicelogon>', '  </serviceaccount>']),
    '</service>',
    '',
  ].join('\n');
}
