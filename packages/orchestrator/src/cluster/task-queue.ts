// The job queue task attempts travel through: pg-boss, in the same PostgreSQL database as the
// run store. A node that takes a job sends heartbeats; one that stops (killed, its machine gone)
// misses them and its job comes back for another node, a bounded number of times. Each delivery
// of a job counts in its retry count: the claim a node's writes are fenced with.
import { LanguageServerConfigSchema } from '@baton/mcp-tools';
import { PgBoss, type Job } from 'pg-boss';
import { z } from 'zod';
import { TaskSchema } from '../plan/plan-schema.ts';

export const TASK_QUEUE = 'baton-tasks';

export interface QueueSettings {
  /** A node that sends no heartbeat for this long lost its job (pg-boss's minimum is 10). */
  heartbeatSeconds: number;
  /** Deliveries of a job after the first before it fails for good. */
  retryLimit: number;
  /** Longest an attempt may run on a node, heartbeats or not. */
  expireInSeconds: number;
  /** How often this process looks for jobs whose node went quiet, and for new jobs without a notice. */
  superviseSeconds: number;
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = { heartbeatSeconds: 10, retryLimit: 2, expireInSeconds: 4 * 3600, superviseSeconds: 5 };

/** Settings from the environment (tests and operators tune them without a config file). */
export function queueSettingsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): QueueSettings {
  const num = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number of at least ${min}, got "${raw}"`);
    return n;
  };
  return {
    heartbeatSeconds: Math.round(num('BATON_QUEUE_HEARTBEAT_SECONDS', DEFAULT_QUEUE_SETTINGS.heartbeatSeconds, 10)),
    retryLimit: Math.round(num('BATON_QUEUE_RETRIES', DEFAULT_QUEUE_SETTINGS.retryLimit, 0)),
    expireInSeconds: Math.round(num('BATON_QUEUE_EXPIRE_SECONDS', DEFAULT_QUEUE_SETTINGS.expireInSeconds, 60)),
    superviseSeconds: num('BATON_QUEUE_SUPERVISE_SECONDS', DEFAULT_QUEUE_SETTINGS.superviseSeconds, 1),
  };
}

/** What a node needs to do an attempt, none of it secret: model keys and git credentials stay on the nodes. */
export const TaskJobSchema = z.object({
  runId: z.string(),
  taskId: z.string(),
  attempt: z.number().int().min(1),
  /** The git remote the run's commits travel through, as the orchestrator names it (no credentials). */
  remote: z.string(),
  fromCommit: z.string(),
  task: TaskSchema,
  brief: z.string(),
  commitMessage: z.string(),
  settings: z.object({
    /** The worker's provider:model id; each node resolves it with its own keys. */
    worker: z.string(),
    testCommands: z.record(z.string(), z.string()),
    protectedPaths: z.array(z.string()),
    perTaskTurns: z.number().int().positive(),
    perTaskTokens: z.number().int().positive(),
    prices: z.record(z.string(), z.object({ input: z.number(), output: z.number(), cacheRead: z.number().optional(), cacheWrite: z.number().optional() })).default({}),
    streamIdleTimeoutSeconds: z.number().positive().optional(),
    /**
     * The task workspaces as the run's workspace settings make them (warm slots decided on the
     * orchestrator's checkout; the setup command, which the approved plan showed). Links and
     * copies name untracked files of the orchestrator's checkout, so they do not travel.
     */
    workspace: z
      .object({
        warm: z.boolean(),
        keep: z.number().int().min(0),
        setup: z.object({ command: z.string(), argv: z.array(z.string()).min(1), network: z.boolean(), timeoutSeconds: z.number().positive() }).optional(),
      })
      .optional(),
    /** `languageServers` of baton.config.json: each node starts them where they are installed there. */
    languageServers: z.array(LanguageServerConfigSchema).default([]),
  }),
});
export type TaskJob = z.infer<typeof TaskJobSchema>;

export interface TaskQueue {
  readonly boss: PgBoss;
  readonly settings: QueueSettings;
  close(): Promise<void>;
}

/** Starts pg-boss on the store's database (installing or migrating its schema) and makes sure the task queue exists. */
export async function startTaskQueue(options: { url: string; settings?: QueueSettings; applicationName?: string; onError?: (error: Error) => void }): Promise<TaskQueue> {
  const settings = options.settings ?? queueSettingsFromEnv();
  const boss = new PgBoss({
    connectionString: options.url,
    application_name: options.applicationName ?? 'baton queue',
    useListenNotify: true,
    superviseIntervalSeconds: settings.superviseSeconds,
    monitorIntervalSeconds: settings.superviseSeconds,
    schedule: false,
    max: 4,
  });
  // pg-boss reports connection trouble as events; without a listener they would end the process.
  boss.on('error', (error: Error) => options.onError?.(error));
  await boss.start();
  const existing = await boss.getQueue(TASK_QUEUE);
  if (!existing) {
    await boss
      .createQueue(TASK_QUEUE, { heartbeatSeconds: settings.heartbeatSeconds, retryLimit: settings.retryLimit, retryDelay: 0, expireInSeconds: settings.expireInSeconds, notify: true })
      .catch(async (error: unknown) => {
        // Another process created it at the same moment.
        if (!(await boss.getQueue(TASK_QUEUE))) throw error;
      });
  }
  return {
    boss,
    settings,
    close: () => boss.stop({ graceful: false, close: true }).catch(() => undefined),
  };
}

export type TaskJobHandle = Job<TaskJob>;
