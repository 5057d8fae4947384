// The language servers baton ships (pinned npm dependencies of @baton/mcp-tools):
// typescript-language-server with its own TypeScript for TS/JS, and pyright for Python.
// Each runs on baton's Node with the TypeScript or Python it was pinned with, never with a
// compiler the workspace provides.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { LanguageServerSpec } from './server-spec.ts';

const require = createRequire(import.meta.url);

/** The directory of an installed package, or why it is missing (or cannot run on this Node). */
function packageDir(name: string): { dir: string } | { missing: string } {
  let file: string;
  try {
    file = require.resolve(`${name}/package.json`);
  } catch {
    return { missing: `the npm package "${name}" is not installed next to @baton/mcp-tools; reinstall baton (pnpm install)` };
  }
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { version?: string; engines?: { node?: string } };
  const needed = /^>=\s*(\d+)\.(\d+)(?:\.(\d+))?$/.exec(manifest.engines?.node?.trim() ?? '');
  if (needed && !nodeAtLeast(needed.slice(1).map((n) => Number(n ?? 0)))) {
    return { missing: `${name} ${manifest.version ?? ''} needs Node ${manifest.engines!.node}, and baton runs on Node ${process.versions.node}; run baton on a newer Node` };
  }
  return { dir: path.dirname(file) };
}

function nodeAtLeast(wanted: number[]): boolean {
  const have = process.versions.node.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) !== (wanted[i] ?? 0)) return (have[i] ?? 0) > (wanted[i] ?? 0);
  }
  return true;
}

export function typescriptServerSpec(): LanguageServerSpec {
  const tsls = packageDir('typescript-language-server');
  const typescript = packageDir('typescript');
  const missing = 'missing' in tsls ? tsls.missing : 'missing' in typescript ? typescript.missing : undefined;
  const tslsDir = 'dir' in tsls ? tsls.dir : '';
  const tsDir = 'dir' in typescript ? typescript.dir : '';
  return {
    id: 'typescript',
    command: { node: true, argv: [path.join(tslsDir, 'lib', 'cli.mjs'), '--stdio'] },
    languages: { '.ts': 'typescript', '.tsx': 'typescriptreact', '.mts': 'typescript', '.cts': 'typescript', '.js': 'javascript', '.jsx': 'javascriptreact', '.mjs': 'javascript', '.cjs': 'javascript' },
    dialect: 'typescript',
    initializationOptions: (heapMb) => ({
      // Our TypeScript, not the workspace's: a workspace's node_modules/typescript is code it chose.
      // No syntax-only server: it would answer navto and definitions from open files alone while
      // the project loads, which reads as a complete (and wrong) answer.
      tsserver: { path: path.join(tsDir, 'lib', 'tsserver.js'), useClientFileWatcher: true, useSyntaxServer: 'never' },
      disableAutomaticTypingAcquisition: true,
      maxTsServerMemory: heapMb,
      hostInfo: 'baton',
    }),
    settings: {},
    readOnlyPaths: [tslsDir, tsDir].filter((dir) => dir !== ''),
    env: [],
    memoryLimitMb: undefined,
    ...(missing ? { unavailable: missing } : {}),
  };
}

export function pyrightServerSpec(): LanguageServerSpec {
  const pyright = packageDir('pyright');
  const dir = 'dir' in pyright ? pyright.dir : '';
  return {
    id: 'pyright',
    command: { node: true, argv: [path.join(dir, 'langserver.index.js'), '--stdio'] },
    languages: { '.py': 'python', '.pyi': 'python' },
    dialect: 'pyright',
    initializationOptions: () => ({}),
    settings: {
      // Workspace mode checks every file, so diagnostics of files nobody opened are known too.
      python: { analysis: { diagnosticMode: 'workspace', autoSearchPaths: true, useLibraryCodeForTypes: true, typeCheckingMode: 'standard' } },
    },
    readOnlyPaths: dir === '' ? [] : [dir],
    env: [],
    memoryLimitMb: undefined,
    ...('missing' in pyright ? { unavailable: pyright.missing } : {}),
  };
}

export function builtinServerSpecs(): LanguageServerSpec[] {
  return [typescriptServerSpec(), pyrightServerSpec()];
}
