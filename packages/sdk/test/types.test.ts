// Type errors an author meets, reported where the mistake is: the compiler runs on the fixture files
// in test/type-fixtures/ (left out of tsconfig.json because they hold deliberate errors) and each
// error must name the offending line with a short message.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CloseReason, EntryError, ExportErrorCode, ImportEntry } from '../src/index.js';
import { entryError, failedImportEntry } from '../src/index.js';

const root = path.dirname(fileURLToPath(new URL('../package.json', import.meta.url)));
const fixtures = path.join(root, 'test/type-fixtures');

/** The diagnostics of the fixtures, compiled with the package's own options: file, line, code, first message line. */
function compileFixtures(): { file: string; line: number; code: number; message: string }[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!config) throw new Error('tsconfig.json did not parse');
  const files = readdirSync(fixtures).map((f) => path.join(fixtures, f));
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  return ts.getPreEmitDiagnostics(program).flatMap((d) => {
    if (!d.file || d.start === undefined) return [];
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    const [message = ''] = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n');
    return [{ file: path.basename(d.file.fileName), line: line + 1, code: d.code, message }];
  });
}

/** The 1-based line of the first line of a fixture that contains `text`. */
function lineOf(file: string, text: string): number {
  return readFileSync(path.join(fixtures, file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}

describe('type errors at the offending line', () => {
  const diagnostics = compileFixtures();

  it('a mistyped export error code is reported at the typo, as not an ExportErrorCode', () => {
    expect(diagnostics.filter((d) => d.file === 'error-code-typo.ts')).toEqual([
      { file: 'error-code-typo.ts', line: lineOf('error-code-typo.ts', "'missing-objekt'"), code: 2345, message: `Argument of type '"missing-objekt"' is not assignable to parameter of type 'ExportErrorCode'.` },
    ]);
  });

  it('password: true with an instance lacking openPassword is reported at open(), naming the method', () => {
    const [error, ...others] = diagnostics.filter((d) => d.file === 'password-without-method.ts');
    expect(others).toEqual([]);
    expect(error).toMatchObject({ line: lineOf('password-without-method.ts', 'async open()'), code: 2322 });
    expect(error?.message).toMatch(/"the instance open\(\) returns lacks openPassword, which the declared capabilities need"'\.$/);
  });

  it('an entry with only an error, a delegated instance and computed capabilities compile', () => {
    expect(diagnostics.filter((d) => d.file === 'well-typed.ts')).toEqual([]);
  });
});

describe('the helpers, as the compiler sees them', () => {
  it('entryError takes only the codes of the contract and builds an EntryError', () => {
    expectTypeOf(entryError).parameter(0).toEqualTypeOf<ExportErrorCode>();
    // @ts-expect-error a typo is not an ExportErrorCode
    entryError('missing-objekt', 'typo');
    expect(entryError('syntax-violation', 'mail is not an address', { attribute: 'mail' })).toEqual({ code: 'syntax-violation', message: 'mail is not an address', attribute: 'mail' } satisfies EntryError);
  });

  it('failedImportEntry fills what a failure has not: no anchor, no changes', () => {
    expectTypeOf(failedImportEntry).returns.toEqualTypeOf<ImportEntry>();
    expect(failedImportEntry({ code: 'parse-error', message: 'line 3' }, { dn: 'CN=x' })).toEqual({
      objectType: '',
      modification: 'add',
      anchor: {},
      attributeChanges: [],
      dn: 'CN=x',
      error: { code: 'parse-error', message: 'line 3' },
    });
  });
});

describe('the TSDoc matches the types', () => {
  it("every close reason the SDK's documentation names is a CloseReason", () => {
    // The union's members, read from its declaration so that the test follows the type.
    const source = ts.createSourceFile('context.ts', readFileSync(path.join(root, 'src/context.ts'), 'utf8'), ts.ScriptTarget.Latest, true);
    const alias = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'CloseReason');
    const members = alias && ts.isUnionTypeNode(alias.type) ? alias.type.types.map((t) => (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : '?')) : [];
    expect(members).toEqual(['normal', 'terminatedByUser', 'terminatedShuttingDown', 'unknown']);
    expectTypeOf<CloseReason>().toEqualTypeOf<'normal' | 'terminatedByUser' | 'terminatedShuttingDown' | 'unknown'>();

    // Every `close('x')` and every backticked terminated... word in a comment of the package's sources.
    const named = new Set<string>();
    const files = readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    for (const file of files) {
      const text = readFileSync(path.join(root, 'src', file), 'utf8');
      const comments = text.match(/\/\*\*[\s\S]*?\*\/|\/\/.*$/gm) ?? [];
      for (const comment of comments) {
        for (const [, reason] of comment.matchAll(/close\(\s*'([^']+)'\s*\)/g)) named.add(reason as string);
        for (const [, reason] of comment.matchAll(/`(terminated\w*|normal|unknown)`/g)) named.add(reason as string);
      }
    }
    expect(named.size).toBeGreaterThan(0);
    expect([...named].filter((reason) => !members.includes(reason))).toEqual([]);
  });
});
