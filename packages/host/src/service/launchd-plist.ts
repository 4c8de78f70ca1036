import type { ServiceSpec } from './service-spec.js';
import { serveArguments } from './service-spec.js';

/** Text escaped for XML content and attribute values. */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** The launchd label of a service: reverse-DNS, as launchd.plist(5) asks. */
export function launchdLabel(spec: ServiceSpec): string {
  return `io.ecmahost.${spec.name}`;
}

/**
 * The launchd job (a LaunchDaemon) that runs `ecmahost serve` on the data directory: started at
 * load, restarted when it exits unsuccessfully (`KeepAlive.SuccessfulExit = false`), with its
 * output in `<data dir>/logs`. Arguments are a list, so paths with spaces need no quoting.
 */
export function launchdPlist(spec: ServiceSpec): string {
  const string = (value: string) => `<string>${xmlEscape(value)}</string>`;
  const log = `${spec.dataDir.replace(/\/+$/, '')}/logs/${spec.name}.log`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- Written by "ecmahost service install"; "ecmahost service uninstall" removes it. -->',
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    `  ${string(launchdLabel(spec))}`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...serveArguments(spec).map((arg) => `    ${string(arg)}`),
    '  </array>',
    ...(spec.user === undefined ? [] : ['  <key>UserName</key>', `  ${string(spec.user)}`]),
    '  <key>WorkingDirectory</key>',
    `  ${string(spec.dataDir)}`,
    '  <key>EnvironmentVariables</key>',
    '  <dict>',
    '    <key>NODE_ENV</key>',
    '    <string>production</string>',
    '  </dict>',
    '  <key>RunAtLoad</key>',
    '  <true/>',
    '  <key>KeepAlive</key>',
    '  <dict>',
    '    <key>SuccessfulExit</key>',
    '    <false/>',
    '  </dict>',
    '  <key>StandardOutPath</key>',
    `  ${string(log)}`,
    '  <key>StandardErrorPath</key>',
    `  ${string(log)}`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}
