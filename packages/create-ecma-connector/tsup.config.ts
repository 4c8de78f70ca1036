import { defineBase } from '@ecmahost/tooling/tsup';

export default defineBase({ entry: ['src/index.ts', 'src/cli.ts'] });
