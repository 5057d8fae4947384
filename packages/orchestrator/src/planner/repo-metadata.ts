// What the planner sees of a repository before it plans: the file tree, manifests, the
// README and search hits for the ticket's words, all gathered through a read-only grant.
import { GrantSchema, listFilesTool, readFileTool, searchTool, type Grant, type ToolContext } from '@baton/mcp-tools';

const MANIFESTS = ['package.json', 'pnpm-workspace.yaml', 'tsconfig.json', 'pyproject.toml', 'go.mod', 'Cargo.toml', 'baton.config.json'];
const README_LINES = 80;
const MAX_TREE = 400;
const STOP_WORDS = new Set(['the', 'and', 'with', 'from', 'into', 'that', 'this', 'add', 'for', 'across', 'preserving', 'behavior', 'behaviour']);

export interface RepoMetadata {
  tree: string[];
  treeTruncated: boolean;
  manifests: { path: string; content: string }[];
  readme: string | undefined;
  hits: { term: string; matches: string[] }[];
}

export async function gatherRepoMetadata(options: { root: string; ticket: string; readScope?: string[]; signal?: AbortSignal }): Promise<RepoMetadata> {
  const grant: Grant = GrantSchema.parse({
    id: 'planner-metadata',
    tools: ['read_file', 'list_files', 'search'],
    read: options.readScope ?? ['**'],
    limits: { maxResults: MAX_TREE, maxOutputBytes: 24_000 },
  });
  const ctx: ToolContext = { grant, root: options.root, signal: options.signal ?? new AbortController().signal, log: () => {} };
  const listing = await listFilesTool.run({}, ctx);
  const tree = listing.files as string[];
  const manifests: RepoMetadata['manifests'] = [];
  for (const path of MANIFESTS.filter((m) => tree.includes(m))) {
    const out = await readFileTool.run({ path }, ctx).catch(() => undefined);
    if (out) manifests.push({ path, content: out.content as string });
  }
  const readmePath = tree.find((f) => /^readme(\.md|\.txt)?$/i.test(f));
  const readme = readmePath ? ((await readFileTool.run({ path: readmePath, end_line: README_LINES }, ctx).catch(() => undefined))?.content as string | undefined) : undefined;
  const hits: RepoMetadata['hits'] = [];
  for (const term of ticketTerms(options.ticket)) {
    const found = await searchTool.run({ query: term, max_results: 8 }, ctx).catch(() => undefined);
    const matches = (found?.matches as { path: string; line: number; text: string }[] | undefined) ?? [];
    if (matches.length > 0) hits.push({ term, matches: matches.map((m) => `${m.path}:${m.line}: ${m.text.trim()}`) });
  }
  return { tree, treeTruncated: listing.truncated as boolean, manifests, readme, hits };
}

/** Distinctive words of a ticket (identifiers and long words), at most six. */
export function ticketTerms(ticket: string): string[] {
  const words = ticket.match(/[A-Za-z_][A-Za-z0-9_]{3,}/g) ?? [];
  const seen = new Set<string>();
  const terms: string[] = [];
  for (const word of words) {
    const key = word.toLowerCase();
    if (STOP_WORDS.has(key) || seen.has(key)) continue;
    seen.add(key);
    terms.push(word);
    if (terms.length === 6) break;
  }
  return terms;
}

export function renderRepoMetadata(meta: RepoMetadata): string {
  const parts = [`## Files (${meta.tree.length}${meta.treeTruncated ? '+, truncated' : ''})`, meta.tree.join('\n')];
  for (const m of meta.manifests) parts.push(`## ${m.path}`, m.content);
  if (meta.readme) parts.push('## README (head)', meta.readme);
  for (const hit of meta.hits) parts.push(`## search: ${hit.term}`, hit.matches.join('\n'));
  return parts.join('\n\n');
}
