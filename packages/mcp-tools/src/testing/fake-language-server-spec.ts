// The spec of testing/fake-language-server.ts for a pool: a generic server for ".fk" files (or
// others), run with baton's Node; the sandbox is shown its script and the packages it imports.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LanguageServerSpec } from '../lsp/server-spec.ts';

const script = fileURLToPath(new URL('./fake-language-server.ts', import.meta.url));
const packageDir = path.resolve(path.dirname(script), '..', '..');

export function fakeServerSpec(scriptFile: string, overrides: Partial<LanguageServerSpec> = {}): LanguageServerSpec {
  return {
    id: 'fake',
    command: { node: true, argv: [script, scriptFile] },
    languages: { '.fk': 'fake' },
    dialect: 'generic',
    initializationOptions: () => ({}),
    settings: {},
    // The script, and the node_modules its imports resolve through (pnpm links them into the root's store).
    readOnlyPaths: [packageDir, realpathSync(path.join(packageDir, '..', '..', 'node_modules'))],
    env: [],
    memoryLimitMb: undefined,
    ...overrides,
  };
}
