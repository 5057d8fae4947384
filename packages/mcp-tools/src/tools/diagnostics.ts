// diagnostics: the errors and warnings language servers find in the workspace as it is now (type
// errors, unresolved imports, syntax errors) — for one file, or for every readable source file.
import { z } from 'zod';
import { withCodeIntel, type CodeIntelCall, type ServerHandle } from '../lsp/code-intel-call.ts';
import type { RawDiagnostic } from '../lsp/dialect.ts';
import { acrossServers, notShownSchema, renderNotes, serverProblemsSchema, sortLocations } from './code-intel-shared.ts';
import { defineTool, type ToolContext } from './tool.ts';

const SEVERITIES = ['error', 'warning', 'information', 'hint'] as const;
/** Longest message shown. */
const MAX_MESSAGE_CHARS = 1_000;
/** A whole-workspace check may take this many query time limits before it reports what it has. */
const WORKSPACE_BUDGET_QUERIES = 4;

const input = z.object({
  path: z.string().optional().describe('One file to check. Default: every readable source file of the languages the servers handle.'),
  min_severity: z.enum(SEVERITIES).optional().describe('Least severe level shown. Default "warning": errors and warnings.'),
  max_results: z.number().int().min(1).optional().describe('Most diagnostics to return (capped by the session limit).'),
});

const diagnostic = z.object({
  path: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  end_line: z.number().int(),
  end_column: z.number().int(),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  code: z.string().optional(),
  source: z.string().optional().describe('Which checker reported it, e.g. "typescript" or "Pyright".'),
  text: z.string().describe('The line as it is in the file now.'),
});

const output = z.object({
  diagnostics: z.array(diagnostic).describe('Errors first, then by path and line.'),
  total: z.number().int(),
  truncated: z.boolean(),
  files_checked: z.number().int(),
  files_unchecked: z.number().int().describe('Files not checked because the time limit ran out (check them one by one with path).'),
  servers: z.array(z.string()),
  not_shown: notShownSchema,
  server_problems: serverProblemsSchema,
});
export type DiagnosticsOutput = z.infer<typeof output>;
type Diagnostic = z.infer<typeof diagnostic>;

export const diagnosticsTool = defineTool({
  name: 'diagnostics',
  title: 'Diagnostics',
  description:
    'Type errors, unresolved imports, syntax errors and warnings that real language servers (TypeScript/JavaScript, Python, and configured others) ' +
    'report for the workspace as it is now, edits made with apply_diff included. Give a path to check ' +
    'one file, or none to check every readable source file. Use it after editing to see whether your change broke anything, before running tests.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(args, ctx) {
    const limit = Math.min(args.max_results ?? ctx.grant.limits.maxResults, ctx.grant.limits.maxResults);
    const floor = SEVERITIES.indexOf(args.min_severity ?? 'warning');
    return withCodeIntel(ctx, async (call) => {
      const found: Diagnostic[] = [];
      const keep = (rel: string, raw: RawDiagnostic[], handle: ServerHandle) => {
        for (const d of raw) {
          if (SEVERITIES.indexOf(d.severity) > floor) continue;
          const at = call.filter.locate(handle.server.uriOf(rel), d.range);
          if (!at) continue;
          found.push({ ...at, severity: d.severity, message: relativeMessage(d.message, ctx.root).slice(0, MAX_MESSAGE_CHARS), ...(d.code !== undefined ? { code: d.code } : {}), ...(d.source !== undefined ? { source: d.source } : {}) });
        }
      };
      let checked = 0;
      let unchecked = 0;
      let servers: string[];
      let problems: { server: string; error: string }[] = [];
      if (args.path !== undefined) {
        const file = call.requestedFile(args.path);
        servers = [file.handle.spec.id];
        const raw = await call.askAboutFile(file, (server) => file.handle.dialect.fileDiagnostics(server, call.workspace, file.rel, ctx.signal));
        keep(file.rel, raw, file.handle);
        checked = 1;
      } else {
        const workspace = await call.workspaceServers();
        servers = workspace.map((w) => w.handle.spec.id);
        const deadline = Date.now() + call.pool.limits.queryTimeoutMs * WORKSPACE_BUDGET_QUERIES;
        const outcome = await acrossServers(
          workspace.map((w) => w.handle),
          (handle) => checkAll(ctx, call, { handle, files: workspace.find((w) => w.handle === handle)!.files, deadline, keep }),
        );
        problems = outcome.problems;
        for (const result of outcome.results) {
          checked += result.checked;
          unchecked += result.unchecked;
        }
      }
      const all = sortLocations(found).sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
      return {
        diagnostics: all.slice(0, limit),
        total: all.length,
        truncated: all.length > limit,
        files_checked: checked,
        files_unchecked: unchecked,
        servers,
        ...(call.filter.hidden > 0 ? { not_shown: call.filter.hidden } : {}),
        ...(problems.length > 0 ? { server_problems: problems } : {}),
      };
    });
  },
  render(out) {
    const counts = `${out.total} problem(s) in ${out.files_checked} file(s) checked${out.files_unchecked ? `, ${out.files_unchecked} not checked (time limit; give a path to check one file)` : ''}`;
    const lines = [counts, ...out.diagnostics.map((d) => `${d.path}:${d.line}:${d.column}: ${d.severity}${d.code ? ` ${d.source ?? ''}(${d.code})` : ''}: ${d.message}\n    ${d.text.trim()}`)];
    if (out.servers.length === 0) lines[0] = 'No files of a language the language servers handle are readable here.';
    lines.push(...renderNotes(out, 'raise max_results or give a path'));
    return lines.join('\n');
  },
});

/** Checks a server's files one by one until they are done or the deadline passes. */
async function checkAll(
  ctx: ToolContext,
  call: CodeIntelCall,
  input: { handle: ServerHandle; files: string[]; deadline: number; keep: (rel: string, raw: RawDiagnostic[], handle: ServerHandle) => void },
): Promise<{ checked: number; unchecked: number }> {
  const { handle, files } = input;
  return call.askWorkspace(handle, async (server) => {
    let checked = 0;
    for (const rel of files) {
      if (Date.now() > input.deadline) break;
      input.keep(rel, await handle.dialect.fileDiagnostics(server, call.workspace, rel, ctx.signal), handle);
      checked++;
    }
    return { checked, unchecked: files.length - checked };
  });
}

/** Messages name files by absolute path ("File '/…/repo/src/x.ts' is not a module"); paths in the root read as root-relative. */
export function relativeMessage(message: string, root: string): string {
  return message.split(`${root}/`).join('');
}
