// typescript-language-server through tsserver's own commands where LSP falls short: `navto`
// across every loaded project for workspace symbols (LSP's workspace/symbol searches only the
// last file opened), and the synchronous diagnostics commands, which answer for a file's current
// state at once instead of publishing later. Projects load when one of their files is opened, so
// the first workspace-wide call opens one file per tsconfig/jsconfig.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExecuteCommandRequest, type Range } from 'vscode-languageserver-protocol';
import { refreshIfOpen, type Dialect, type RawDiagnostic, type RawSymbol, type WorkspaceAccess } from './dialect.ts';
import type { RunningServer } from './managed-server.ts';
import { tsserverKind } from './symbol-kinds.ts';

const SEEDS_MEMO = 'typescript.seeds';
/** Projects loaded for workspace-wide calls: one opened file per config, at most this many. */
const MAX_SEEDS = 16;
const NAVTO_MAX_RESULTS = 2_000;
const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

interface TsLocation {
  line: number;
  offset: number;
}

interface NavtoItem {
  name: string;
  kind: string;
  file: string;
  start: TsLocation;
  end: TsLocation;
  containerName?: string;
}

interface TsDiagnostic {
  start: TsLocation;
  end: TsLocation;
  text: string;
  category: string;
  code?: number;
  source?: string;
}

export const typescriptDialect: Dialect = {
  async ready(server, workspace, _signal, rel) {
    // A query about a file loads that file's project when the file is opened; the workspace needs seeds.
    if (rel === undefined) await openSeeds(server, workspace);
  },

  async workspaceSymbols(server, workspace, query, signal) {
    await openSeeds(server, workspace);
    const items = await tsserver<NavtoItem[]>(server, 'navto', { searchValue: query, maxResultCount: NAVTO_MAX_RESULTS }, signal);
    return (items ?? []).map(
      (item): RawSymbol => ({
        name: item.name,
        kind: tsserverKind(item.kind),
        ...(item.containerName ? { container: item.containerName } : {}),
        uri: pathToFileURL(item.file).href,
        range: tsRange(item.start, item.end),
      }),
    );
  },

  async fileDiagnostics(server, workspace, rel, signal) {
    refreshIfOpen(server, workspace, rel);
    const file = path.join(server.root, rel);
    const ask = async () => {
      const syntactic = await tsserver<TsDiagnostic[]>(server, 'syntacticDiagnosticsSync', { file }, signal);
      const semantic = await tsserver<TsDiagnostic[]>(server, 'semanticDiagnosticsSync', { file }, signal);
      return [...(syntactic ?? []), ...(semantic ?? [])];
    };
    let found: TsDiagnostic[];
    try {
      found = await ask();
    } catch (error) {
      // A file no loaded project holds: opening it loads (or infers) its project.
      if (!/No Project/i.test((error as Error).message)) throw error;
      const text = workspace.readText(rel);
      if (!text) return [];
      server.syncDocument(rel, text.text);
      found = await ask();
    }
    return found.map(
      (d): RawDiagnostic => ({
        range: tsRange(d.start, d.end),
        severity: d.category === 'warning' ? 'warning' : d.category === 'suggestion' ? 'hint' : d.category === 'message' ? 'information' : 'error',
        message: d.text,
        ...(d.code !== undefined ? { code: String(d.code) } : {}),
        source: d.source ?? 'typescript',
      }),
    );
  },
};

/** Sends one tsserver command through typescript-language-server and returns its body. */
async function tsserver<T>(server: RunningServer, command: string, args: Record<string, unknown>, signal: AbortSignal): Promise<T | undefined> {
  const response = (await server.request(ExecuteCommandRequest.type, { command: 'typescript.tsserverRequest', arguments: [command, args] }, signal)) as { success?: boolean; body?: T; message?: string } | null;
  if (!response) return undefined;
  if (response.success === false) throw new Error(response.message ?? `tsserver refused ${command}`);
  return response.body;
}

/** Opens one source file per tsconfig/jsconfig (or one file at all) so its project loads. */
async function openSeeds(server: RunningServer, workspace: WorkspaceAccess): Promise<void> {
  if (server.memo.has(SEEDS_MEMO)) return;
  const extensions = Object.keys(server.spec.languages);
  const listed = await workspace.listFiles({ extensions, names: CONFIG_NAMES });
  const configs = listed.filter((rel) => CONFIG_NAMES.includes(path.posix.basename(rel)));
  const sources = listed.filter((rel) => !CONFIG_NAMES.includes(path.posix.basename(rel)));
  const preferred = (rel: string) => (/\.(ts|tsx|mts|cts)$/.test(rel) && !rel.endsWith('.d.ts') ? 0 : 1);
  const seeds: string[] = [];
  for (const config of configs) {
    const dir = path.posix.dirname(config);
    const inside = sources.filter((rel) => dir === '.' || rel.startsWith(`${dir}/`)).sort((a, b) => preferred(a) - preferred(b) || a.split('/').length - b.split('/').length);
    const seed = inside.find((rel) => !seeds.includes(rel));
    if (seed) seeds.push(seed);
    if (seeds.length >= MAX_SEEDS) break;
  }
  if (seeds.length === 0 && sources.length > 0) seeds.push([...sources].sort((a, b) => preferred(a) - preferred(b))[0]!);
  for (const seed of seeds) {
    const text = workspace.readText(seed);
    if (text) server.syncDocument(seed, text.text, { pinned: true });
  }
  server.memo.set(SEEDS_MEMO, seeds);
}

function tsRange(start: TsLocation, end: TsLocation): Range {
  return { start: { line: start.line - 1, character: start.offset - 1 }, end: { line: end.line - 1, character: end.offset - 1 } };
}
