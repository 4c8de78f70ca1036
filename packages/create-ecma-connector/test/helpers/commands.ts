import { spawn } from 'node:child_process';

/** How a command ended. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment for commands run in a generated project: ours minus what `npm test` and vitest
 * set for *this* run (npm_config_* would point npm at the monorepo, VITEST_* would confuse the
 * project's own vitest), as if a user typed the command in a fresh shell.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // The user's own registry, cache and proxy settings still apply, as they would in their shell.
    const userNpmConfig = /^npm_config_(registry|cache|userconfig|proxy|https_proxy|noproxy|cafile|strict_ssl|fetch_.*)$/i.test(key);
    if (!userNpmConfig && /^(npm_|VITEST|ECMAHOST_TEST_REPORT_DIR$|NODE_OPTIONS$|INIT_CWD$|TEST$|NODE_ENV$)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Runs a command to its end and collects its output; never rejects for a non-zero exit (the test asserts the code). */
export function runCommand(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A message for a failed command's assertion: the command, its code and the end of its output. */
export function describeResult(label: string, result: CommandResult): string {
  return `${label} exited ${String(result.code)}\n--- stdout ---\n${result.stdout.slice(-4000)}\n--- stderr ---\n${result.stderr.slice(-4000)}`;
}

/**
 * Why the npm registry cannot be used, or `undefined` when `npm ping` answers. The generated
 * projects install vitest, tsup and TypeScript from it; without it those tests skip with this
 * reason, unless `ECMAHOST_REQUIRE_LIVE=1` asks for them to fail instead.
 */
export async function registryProblem(): Promise<string | undefined> {
  if (process.env.ECMAHOST_REQUIRE_LIVE === '1') return undefined;
  const result = await runCommand('npm', ['ping', '--fetch-timeout=15000', '--fetch-retries=0'], process.cwd());
  if (result.code === 0) return undefined;
  const cause = result.stderr.split('\n').find((line) => /^npm error/.test(line) && !/complete log/.test(line)) ?? 'no output';
  return `the npm registry does not answer npm ping (${cause.replace(/^npm error\s*/, '')})`;
}
