// What baton must know to run one language server: how to start it, which files it serves, what
// to answer when it asks for settings, and which of baton's per-server behaviours (dialect) apply.
// Operators add servers (gopls, rust-analyzer, …) with a JSON file in this shape.
import { z } from 'zod';
import { looksLikeCredential } from '../run-tests/credential-name.ts';

/** Per-server behaviour beyond plain LSP: how workspace symbols and diagnostics are asked for. */
export type ServerDialect = 'typescript' | 'pyright' | 'generic';

const ExtensionSchema = z.string().regex(/^\.[A-Za-z0-9_+-]+$/, 'an extension starts with "." and has letters, digits, _ + - (e.g. ".go")');

export const LanguageServerConfigSchema = z.strictObject({
  /** Names the server in results and errors; an id of a built-in server replaces it. */
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,39}$/, 'server ids are lowercase letters, digits, _ . -'),
  /** Argument vector that starts the server speaking LSP on stdio; never given to a shell. */
  command: z.array(z.string().min(1)).min(1),
  /** The file extensions it serves, each with its LSP language id, e.g. {".go": "go"}. */
  languages: z.record(ExtensionSchema, z.string().min(1)).refine((l) => Object.keys(l).length > 0, 'name at least one extension'),
  /** Sent as initializationOptions. */
  initialization_options: z.unknown().optional(),
  /** Answers to workspace/configuration, by section ("gopls" → {...}). */
  settings: z.record(z.string(), z.unknown()).default({}),
  /** Absolute host paths the sandbox must show read-only besides the command's own install (e.g. GOROOT, a module cache). */
  read_only_paths: z.array(z.string().startsWith('/', 'read_only_paths are absolute paths')).default([]),
  /** Environment variables the server may see (names only; their values come from baton's environment). */
  env: z
    .array(
      z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
        .refine((name) => !looksLikeCredential(name), { message: 'looks like a credential; language servers never see credentials' }),
    )
    .default([]),
  /** Largest resident memory of the server and its children, in MiB, before it is stopped. */
  memory_limit_mb: z.number().int().min(64).optional(),
});
export type LanguageServerConfig = z.infer<typeof LanguageServerConfigSchema>;

export const LanguageServersFileSchema = z.strictObject({
  servers: z.array(LanguageServerConfigSchema),
});

/** A server baton can start: a built-in or one from the operator's configuration. */
export interface LanguageServerSpec {
  readonly id: string;
  /** How to start it. `node: true` runs `argv[0]` (a script) with baton's Node and a heap limit. */
  readonly command: { readonly node: boolean; readonly argv: readonly string[] };
  /** Extension (with its dot, lowercase) → LSP language id. */
  readonly languages: Readonly<Record<string, string>>;
  readonly dialect: ServerDialect;
  /** initializationOptions, given the heap limit in MiB (the TypeScript server passes it on to tsserver). */
  readonly initializationOptions: (heapMb: number) => unknown;
  readonly settings: Readonly<Record<string, unknown>>;
  /** Host paths the sandbox shows read-only: the server's own packages, toolchains. */
  readonly readOnlyPaths: readonly string[];
  readonly env: readonly string[];
  readonly memoryLimitMb: number | undefined;
  /** Why the server cannot run here (a package missing), if it cannot. */
  readonly unavailable?: string;
}

/** The specs of a configuration file's servers. */
export function specsFromConfig(configs: readonly LanguageServerConfig[]): LanguageServerSpec[] {
  return configs.map((config) => ({
    id: config.id,
    command: { node: false, argv: config.command },
    languages: Object.fromEntries(Object.entries(config.languages).map(([ext, id]) => [ext.toLowerCase(), id])),
    dialect: 'generic',
    initializationOptions: () => config.initialization_options,
    settings: config.settings,
    readOnlyPaths: config.read_only_paths,
    env: config.env,
    memoryLimitMb: config.memory_limit_mb,
  }));
}

/** Configured servers replace built-ins of the same id; each extension goes to the last server that names it. */
export function mergeSpecs(builtins: readonly LanguageServerSpec[], configured: readonly LanguageServerSpec[]): LanguageServerSpec[] {
  const byId = new Map<string, LanguageServerSpec>();
  for (const spec of [...builtins, ...configured]) byId.set(spec.id, spec);
  const owner = new Map<string, string>();
  for (const spec of byId.values()) for (const ext of Object.keys(spec.languages)) owner.set(ext, spec.id);
  return [...byId.values()].map((spec) => ({
    ...spec,
    languages: Object.fromEntries(Object.entries(spec.languages).filter(([ext]) => owner.get(ext) === spec.id)),
  }));
}

/** The value of a dotted settings section ("python.analysis") in a settings tree, or null. */
export function settingsSection(settings: Readonly<Record<string, unknown>>, section: string | undefined): unknown {
  if (section === undefined || section === '') return settings;
  let value: unknown = settings;
  for (const part of section.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return null;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
