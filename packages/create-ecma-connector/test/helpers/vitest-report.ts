import { readFile } from 'node:fs/promises';

/** The part of vitest's JSON report the tests read. */
interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; assertionResults: { title: string; status: string }[] }[];
}

/** What a generated project's `npm test` reported: per conformance check id its status, and the totals. */
export interface ProjectReport {
  checks: Record<string, string>;
  passed: number;
  failed: number;
  /** Tests outside the conformance suite that passed (the project's unit tests). */
  otherPassed: number;
}

/** Reads the JSON report written by `npm test -- --reporter=json --outputFile=<file>`. */
export async function readReport(file: string): Promise<ProjectReport> {
  const report = JSON.parse(await readFile(file, 'utf8')) as JsonReport;
  const checks: Record<string, string> = {};
  let otherPassed = 0;
  for (const result of report.testResults) {
    for (const test of result.assertionResults) {
      // The kit names each test "<check id>: <title>".
      if (result.name.endsWith('conformance.test.ts')) checks[test.title.split(':')[0] ?? test.title] = test.status;
      else if (test.status === 'passed') otherPassed += 1;
    }
  }
  return { checks, passed: report.numPassedTests, failed: report.numFailedTests, otherPassed };
}
