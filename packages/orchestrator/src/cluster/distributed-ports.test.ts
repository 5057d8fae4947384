// What a job tells a node about the run's settings: nothing secret, and what a node needs to do a
// task as `baton run` would, the configured language servers included.
import { describe, expect, it } from 'vitest';
import { BatonConfigSchema } from '../config/config-schema.ts';
import { makeTask } from '../plan/make-task.ts';
import { nodeSettings } from './distributed-ports.ts';
import { TaskJobSchema, type TaskJob } from './task-queue.ts';

const gopls = { id: 'gopls', command: ['gopls'], languages: { '.go': 'go' }, read_only_paths: ['/usr/local/go'] };

function job(settings: TaskJob['settings']): unknown {
  // As the queue stores it: JSON.
  return JSON.parse(JSON.stringify({ runId: 'r', taskId: 't', attempt: 1, remote: 'origin', fromCommit: 'abc', task: makeTask({ id: 't' }), brief: 'b', commitMessage: 'm', settings }));
}

describe('nodeSettings', () => {
  it('sends the configured language servers with each job, as the node reads them back', () => {
    const config = BatonConfigSchema.parse({ tests: { unit: 'npm test' }, languageServers: [gopls] });
    const parsed = TaskJobSchema.parse(job(nodeSettings(config, 'anthropic:claude-haiku-4-5')));
    expect(parsed.settings.languageServers).toEqual([{ ...gopls, settings: {}, env: [] }]);
    expect(parsed.settings.testCommands).toEqual({ unit: 'npm test' });
  });

  it('reads a job from an orchestrator that sent no language servers as none', () => {
    const settings = nodeSettings(BatonConfigSchema.parse({}), 'anthropic:claude-haiku-4-5');
    const { languageServers: _omitted, ...older } = settings;
    expect(TaskJobSchema.parse(job(older as TaskJob['settings'])).settings.languageServers).toEqual([]);
  });
});
