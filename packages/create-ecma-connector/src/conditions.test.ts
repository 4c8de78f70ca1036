import { describe, expect, it } from 'vitest';
import { applyConditions, evaluateCondition } from './conditions.js';

describe('evaluateCondition', () => {
  it('reads single terms, negations, && and ||', () => {
    expect(evaluateCondition('export', ['import', 'export'])).toBe(true);
    expect(evaluateCondition('!export', ['import', 'export'])).toBe(false);
    expect(evaluateCondition('delta && !password', ['import', 'delta'])).toBe(true);
    expect(evaluateCondition('delta && password', ['import', 'delta'])).toBe(false);
    expect(evaluateCondition('export || password', ['import', 'password'])).toBe(true);
    expect(evaluateCondition('export || password', ['import'])).toBe(false);
  });

  it('refuses unknown capabilities, mixed operators and empty conditions, naming the place', () => {
    expect(() => evaluateCondition('exprot', ['import'], 'src/a.ts:3')).toThrow('src/a.ts:3: unknown capability "exprot" in "exprot"');
    expect(() => evaluateCondition('a && b || c', ['import'])).toThrow(/mixes && and \|\|/);
    expect(() => evaluateCondition(' ', ['import'])).toThrow(/needs a condition/);
  });
});

describe('applyConditions', () => {
  const source = [
    "import { a } from './a.js';",
    '// #if export',
    "import { b } from './b.js';",
    '  // #if delta',
    "  import { c } from './c.js';",
    '  // #endif',
    '// #endif',
    '',
    '<!-- #if !export -->',
    'read-only',
    '<!-- #endif -->',
    '',
    'end',
  ].join('\n');

  it('keeps the blocks whose conditions hold and drops every marker line', () => {
    expect(applyConditions(source, ['import', 'delta', 'export'], 'f.ts')).toBe(
      ["import { a } from './a.js';", "import { b } from './b.js';", "  import { c } from './c.js';", '', 'end'].join('\n'),
    );
  });

  it('drops nested blocks with their parent, leaving no run of blank lines behind', () => {
    expect(applyConditions(source, ['import'], 'f.ts')).toBe(["import { a } from './a.js';", '', 'read-only', '', 'end'].join('\n'));
  });

  it('leaves a file without markers byte for byte', () => {
    const text = 'a\n\n\n\nb\n';
    expect(applyConditions(text, ['import'], 'f.md')).toBe(text);
  });

  it('refuses unbalanced markers, naming the file and line', () => {
    expect(() => applyConditions('// #if export\nx\n', ['import'], 'src/x.ts')).toThrow('src/x.ts: 1 #if block(s) not closed');
    expect(() => applyConditions('x\n// #endif\n', ['import'], 'src/x.ts')).toThrow('src/x.ts:2: #endif without #if');
  });
});
