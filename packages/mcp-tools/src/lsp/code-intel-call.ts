// What one code-intelligence tool call works with: the session's root held open, a reader that
// reads files by descriptor, a filter for what may be shown, and the language servers for the
// session's workspace and read scope. Opened at the start of a call, closed at its end.
import { closeSync, readSync } from 'node:fs';
import { openForRead, withRoot } from '../confine/access.ts';
import type { RootHandle } from '../confine/beneath.ts';
import { ToolError } from '../tools/tool-error.ts';
import type { ToolContext } from '../tools/tool.ts';
import type { Dialect, WorkspaceAccess } from './dialect.ts';
import { createFileTextReader, decode, MAX_TEXT_BYTES, type FileText } from './file-text.ts';
import { genericDialect } from './generic-dialect.ts';
import type { ManagedServer, RunningServer } from './managed-server.ts';
import { pyrightDialect } from './pyright-dialect.ts';
import { createResultFilter, type ResultFilter } from './result-filter.ts';
import type { LanguageServerPool } from './server-pool.ts';
import type { LanguageServerSpec } from './server-spec.ts';
import { listSourceFiles } from './source-files.ts';
import { typescriptDialect } from './typescript-dialect.ts';

/** Most source files a call lists (to find which servers a workspace needs, or to check them all). */
const MAX_LISTED_FILES = 50_000;

export interface ServerHandle {
  spec: LanguageServerSpec;
  server: ManagedServer;
  dialect: Dialect;
}

export interface RequestedFile {
  /** Root-relative path of the file as reached (in-root symlinks followed). */
  rel: string;
  text: FileText;
  handle: ServerHandle;
}

export interface CodeIntelCall {
  readonly ctx: ToolContext;
  readonly pool: LanguageServerPool;
  readonly filter: ResultFilter;
  readonly workspace: WorkspaceAccess;
  /** A file the model named: refused like read_file refuses, and it must be a language some server handles. */
  requestedFile(path: string): RequestedFile;
  /** Servers with readable files in the workspace, each with those files (sorted). */
  workspaceServers(): Promise<{ handle: ServerHandle; files: string[] }[]>;
  handleFor(spec: LanguageServerSpec): ServerHandle;
  /** Runs `ask` on the file's server once it is ready for that file and holds the file's text as baton read it. */
  askAboutFile<T>(file: { rel: string; text: FileText; handle: ServerHandle }, ask: (server: RunningServer) => Promise<T>): Promise<T>;
  /** Runs `ask` on a server once it is ready for questions about the whole workspace. */
  askWorkspace<T>(handle: ServerHandle, ask: (server: RunningServer) => Promise<T>): Promise<T>;
}

export async function withCodeIntel<T>(ctx: ToolContext, use: (call: CodeIntelCall) => Promise<T>): Promise<T> {
  const pool = ctx.languageServers;
  if (!pool) {
    throw new ToolError({ code: 'code_intelligence_unavailable', message: 'this tool host runs no language servers; use search and read_file instead', fault: 'environment' });
  }
  return withRoot(ctx, async (root) => {
    const reader = createFileTextReader(root);
    try {
      return await use(makeCall({ ctx, pool, root, reader }));
    } finally {
      reader.close();
    }
  });
}

function makeCall(input: { ctx: ToolContext; pool: LanguageServerPool; root: RootHandle; reader: ReturnType<typeof createFileTextReader> }): CodeIntelCall {
  const { ctx, pool, root, reader } = input;
  const filter = createResultFilter(ctx, reader);
  const handles = new Map<string, ServerHandle>();
  const listings = new Map<string, Promise<string[]>>();
  const workspace: WorkspaceAccess = {
    listFiles(options) {
      const key = JSON.stringify(options);
      let listing = listings.get(key);
      if (!listing) {
        listing = listSourceFiles(ctx, root, { ...options, max: MAX_LISTED_FILES }).then((found) => found.files);
        listings.set(key, listing);
      }
      return listing;
    },
    readText: (rel) => reader.read(rel),
  };
  const handleFor = (spec: LanguageServerSpec): ServerHandle => {
    let handle = handles.get(spec.id);
    if (!handle) {
      handle = { spec, server: pool.serverFor(ctx, spec), dialect: dialectOf(spec) };
      handles.set(spec.id, handle);
    }
    return handle;
  };
  return {
    ctx,
    pool,
    filter,
    workspace,
    handleFor,
    askAboutFile(file, ask) {
      return file.handle.server.use(ctx.signal, async (server) => {
        await file.handle.dialect.ready(server, workspace, ctx.signal, file.rel);
        server.syncDocument(file.rel, file.text.text);
        return ask(server);
      });
    },
    askWorkspace(handle, ask) {
      return handle.server.use(ctx.signal, async (server) => {
        await handle.dialect.ready(server, workspace, ctx.signal);
        return ask(server);
      });
    },
    requestedFile(path) {
      const opened = openForRead(ctx, root, path);
      let text: FileText;
      try {
        if (opened.stat.size > MAX_TEXT_BYTES) throw new ToolError({ code: 'file_too_large', message: `"${opened.rel}" is larger than ${MAX_TEXT_BYTES} bytes; language servers are not asked about files that large` });
        const bytes = Buffer.alloc(opened.stat.size);
        let length = 0;
        while (length < bytes.length) {
          const read = readSync(opened.fd, bytes, length, bytes.length - length, length);
          if (read === 0) break;
          length += read;
        }
        if (bytes.subarray(0, length).includes(0)) throw new ToolError({ code: 'binary_file', message: `"${opened.rel}" is a binary file` });
        text = decode(bytes.subarray(0, length));
      } finally {
        closeSync(opened.fd);
      }
      const spec = pool.specFor(opened.realRel);
      if (!spec) {
        const known = pool.specs.flatMap((s) => Object.keys(s.languages));
        throw new ToolError({ code: 'no_language_server', message: `no language server handles "${opened.rel}" (servers here handle ${known.join(' ') || 'nothing'}); use search and read_file for it` });
      }
      ctx.log({ type: 'file.read', path: opened.realRel, bytes: opened.stat.size });
      return { rel: opened.realRel, text, handle: handleFor(spec) };
    },
    async workspaceServers() {
      const extensions = pool.specs.filter((s) => !s.unavailable).flatMap((s) => Object.keys(s.languages));
      const files = await workspace.listFiles({ extensions });
      const found: { handle: ServerHandle; files: string[] }[] = [];
      for (const spec of pool.specs) {
        if (spec.unavailable) continue;
        const mine = files.filter((rel) => pool.specFor(rel)?.id === spec.id);
        if (mine.length > 0) found.push({ handle: handleFor(spec), files: mine });
      }
      return found;
    },
  };
}

function dialectOf(spec: LanguageServerSpec): Dialect {
  switch (spec.dialect) {
    case 'typescript':
      return typescriptDialect;
    case 'pyright':
      return pyrightDialect;
    case 'generic':
      return genericDialect;
  }
}
