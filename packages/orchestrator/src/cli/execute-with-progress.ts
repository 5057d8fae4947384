// Executes an approved run in the foreground: live progress, Ctrl-C / SIGTERM cancel cleanly,
// a closing summary, and the exit code that says how it ended.
import path from 'node:path';
import type { BatonConfig } from '../config/config-schema.ts';
import { executeApprovedRun, type RunModels } from '../run/orchestrate.ts';
import type { RunStore, RunWriter } from '../store/run-store.ts';
import type { TaskQueue } from '../cluster/task-queue.ts';
import { exitCodeFor } from './exit-codes.ts';
import { showProgress } from './run-progress.ts';
import { runJson } from './run-view.ts';
import { colorEnabled, createStyle } from './style.ts';

export async function executeWithProgress(options: { repo: string; store: RunStore; writer: RunWriter; config: BatonConfig; models: RunModels; json: boolean; cluster?: { queue: TaskQueue; workerId: string } | undefined }): Promise<number> {
  const { store, writer } = options;
  const style = createStyle(colorEnabled());
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    if (!options.json) process.stderr.write(`\nbaton: ${signal}: cancelling the run (workers stop, nothing more is merged)\n`);
    controller.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const stopProgress = options.json ? async () => {} : showProgress(store, writer.runId, style);
  try {
    const result = await executeApprovedRun({ repo: options.repo, store, writer, config: options.config, models: options.models, signal: controller.signal, ...(options.cluster ? { cluster: options.cluster } : {}) });
    await stopProgress();
    const state = await store.state(writer.runId);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ...runJson(state), result }, null, 2)}\n`);
    } else {
      const color = result.outcome === 'succeeded' ? style.green : result.outcome === 'escalated' ? style.yellow : style.red;
      process.stdout.write(`\n${color(result.summary)}\n`);
      const scripted = [options.models.planner, options.models.worker, options.models.reviewer].some((m) => m.scripted);
      const usage = `${state.usage.totalTokens} tokens${scripted ? ' (scripted models: estimated at 4 characters a token, no cost)' : ''}, $${state.usage.costUsd.toFixed(4)}`;
      process.stdout.write(`run ${writer.runId}: branch ${result.branch} at ${result.commit.slice(0, 10)}; ${usage}\n`);
      const repoFlag = path.resolve(process.cwd()) === options.repo ? '' : ` --repo ${options.repo}`;
      process.stdout.write(`inspect: baton status ${writer.runId}${repoFlag} · baton diff ${writer.runId}${repoFlag} · baton log ${writer.runId}${repoFlag} · baton ui${repoFlag}\n`);
    }
    return exitCodeFor(result.outcome);
  } finally {
    await stopProgress().catch(() => undefined);
    await options.cluster?.queue.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await writer.release();
  }
}
