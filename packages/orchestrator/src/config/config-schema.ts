// baton.config.json: models, budgets, test commands, default scopes, protected paths and
// task workspaces for one repository. Command-line flags override it.
import { LanguageServerConfigSchema } from '@baton/mcp-tools';
import { z } from 'zod';
import { DEFAULT_WORKSPACE_SETTINGS, WorkspaceSettingsSchema } from './workspace-settings.ts';

const ModelIdSchema = z.string().regex(/^[a-z][a-z0-9-]*:.+$/, 'model ids look like provider:model, e.g. anthropic:claude-opus-4-6');

export const BatonConfigSchema = z.object({
  $schema: z.string().optional(),
  models: z
    .object({
      planner: ModelIdSchema.default('anthropic:claude-opus-4-6'),
      worker: ModelIdSchema.default('anthropic:claude-haiku-4-5'),
      reviewer: ModelIdSchema.optional(),
      /** Longest silence allowed in a model's stream before the call is abandoned and retried (default 120; BATON_MODEL_IDLE_TIMEOUT_SECONDS wins). */
      streamIdleTimeoutSeconds: z.number().positive().max(3600).optional(),
    })
    .default({ planner: 'anthropic:claude-opus-4-6', worker: 'anthropic:claude-haiku-4-5' }),
  budgets: z
    .object({
      tokens: z.number().int().positive().optional(),
      usd: z.number().positive().optional(),
      wallSeconds: z.number().positive().optional(),
      perTaskTokens: z.number().int().positive().default(400_000),
      perTaskTurns: z.number().int().positive().default(40),
    })
    .default({ perTaskTokens: 400_000, perTaskTurns: 40 }),
  maxWorkers: z.number().int().min(1).max(64).default(4),
  /** US dollars per million tokens by model id, overriding the built-in price table. */
  prices: z
    .record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0), cacheRead: z.number().min(0).optional(), cacheWrite: z.number().min(0).optional() }))
    .default({}),
  /** Named test commands (argument strings, split without a shell). */
  tests: z.record(z.string().regex(/^[A-Za-z0-9_.:-]+$/), z.string().min(1)).default({}),
  /** Test suite run after each merge and as the default phase gate. */
  gateTest: z.string().optional(),
  /** Globs every task may read unless its plan narrows them. */
  defaultReadScope: z.array(z.string()).default(['**']),
  /** Globs no task may ever write, whatever its plan says. */
  protectedPaths: z.array(z.string()).default(['.github/**', '**/.env', '**/.env.*', '**/*.pem', '**/*.key']),
  /** Rework attempts per task before escalating to a human. */
  maxReworks: z.number().int().min(0).max(10).default(2),
  /** What task workspaces hold besides the tracked files (links, copies, setup), and whether they are kept warm. */
  workspace: WorkspaceSettingsSchema.default(DEFAULT_WORKSPACE_SETTINGS),
  /**
   * More language servers for the code-intelligence tools (gopls, rust-analyzer, clangd, …), or
   * replacements for the built-in TypeScript and Python ones (same id), in the shape of
   * `baton-tools --language-servers`' file entries. Started in the test sandbox when a worker asks.
   */
  languageServers: z.array(LanguageServerConfigSchema).default([]),
  /** Run test commands inside bubblewrap (no network, read-only outside the workspace). */
  sandbox: z.boolean().default(true),
  /**
   * The run store: a postgres:// URL shared by several machines (without a password: this file is
   * committed; use PGPASSWORD or ~/.pgpass), or a SQLite file path. Default: <git dir>/baton/state.db.
   * --store and BATON_STORE_URL win.
   */
  store: z
    .string()
    .min(1)
    .refine((value) => !/^postgres(ql)?:\/\/[^/@]*:[^/@]*@/i.test(value), 'a store URL in baton.config.json must not hold a password (the file is committed); set PGPASSWORD or use ~/.pgpass')
    .optional(),
  /** Runs whose tasks run on worker nodes (`baton node`), through the job queue on a PostgreSQL store. */
  cluster: z
    .object({
      /** Run every task on worker nodes unless a flag says otherwise (baton run --on-nodes). */
      onNodes: z.boolean().default(false),
      /** The git remote (name or URL, without credentials) the run's commits travel through; default origin. */
      remote: z.string().min(1).optional(),
    })
    .default({ onNodes: false }),
  /** Where `baton pr` pushes and opens pull requests (flags override; the token never goes here). */
  github: z
    .object({
      /** git remote to push to (default: the base branch's remote, else origin). */
      remote: z.string().optional(),
      /** owner/name, when the remote's URL does not say it. */
      repo: z.string().optional(),
      /** REST API root, e.g. https://ghe.example.com/api/v3 (default: from the remote's host). */
      apiUrl: z.string().url().optional(),
      /** Open pull requests as drafts (default true). */
      draft: z.boolean().default(true),
    })
    .default({ draft: true }),
});

export type BatonConfig = z.infer<typeof BatonConfigSchema>;
export type BatonConfigInput = z.input<typeof BatonConfigSchema>;

export const CONFIG_FILE_NAME = 'baton.config.json';
