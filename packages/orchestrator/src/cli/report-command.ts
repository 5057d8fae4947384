// `baton report`: pilot metrics per run and overall, as a table, JSON or CSV.
import { Command, Option } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import { computeReport, reportCsv, runMetrics } from '../report/compute-report.ts';
import { formatDuration, formatTokens, formatUsd } from './progress-table.ts';
import { withStore } from './repo-store.ts';

export function reportCommand(): Command {
  return new Command('report')
    .description('Pilot metrics per run and overall: wall time, tokens and cost by role, tasks, reworks, escalations, tests, blocked out-of-scope attempts, merge conflicts.')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--since <date>', 'only runs created on or after this date (e.g. 2026-11-01)')
    .option('--run <id>', 'only this run')
    .addOption(new Option('--json', 'print JSON').conflicts('csv'))
    .option('--csv', 'print CSV (one row per run)')
    .action(async (flags: { repo?: string; since?: string; run?: string; json?: boolean; csv?: boolean }) => {
      const since = flags.since === undefined ? undefined : Date.parse(flags.since);
      if (since !== undefined && Number.isNaN(since)) throw new UsageError(`--since ${flags.since} is not a date; use e.g. 2026-11-01`);
      await withStore(flags.repo, ({ store }) => {
        const ids = store.listRuns().map((r) => r.runId).filter((id) => flags.run === undefined || id === flags.run);
        if (flags.run !== undefined && ids.length === 0) throw new UsageError(`no run ${flags.run} in this repository`);
        const metrics = ids
          .map((id) => runMetrics(store.state(id), store.events(id)))
          .filter((m) => since === undefined || Date.parse(m.createdAt) >= since)
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
        const report = computeReport(metrics);
        if (flags.json) return void process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        if (flags.csv) return void process.stdout.write(reportCsv(report));
        const lines = [`${'RUN'.padEnd(24)} ${'OUTCOME'.padEnd(16)} ${'WALL'.padStart(7)} ${'TOKENS'.padStart(8)} ${'COST'.padStart(9)} ${'TASKS'.padStart(6)} REWORK ESC TESTS(F) BLOCKED CONFLICTS`];
        for (const m of report.runs) {
          lines.push(`${m.run.padEnd(24)} ${m.outcome.padEnd(16)} ${formatDuration(m.wallSeconds * 1000).padStart(7)} ${formatTokens(m.tokens).padStart(8)} ${formatUsd(m.costUsd).padStart(9)} ${`${m.tasks.done}/${m.tasks.total}`.padStart(6)} ${String(m.reworks).padStart(6)} ${String(m.escalations).padStart(3)} ${`${m.testsRun}(${m.testsFailed})`.padStart(8)} ${String(m.outOfScopeBlocked).padStart(7)} ${String(m.mergeConflicts).padStart(9)}`);
        }
        const o = report.overall;
        lines.push('', `overall: ${o.runs} run(s), ${o.succeeded} succeeded; ${formatTokens(o.tokens)} tokens, ${formatUsd(o.costUsd)}; ${o.tasks.done}/${o.tasks.total} tasks; ${o.reworks} reworks; ${o.escalations} escalations; ${o.testsRun} test runs (${o.testsFailed} failing); ${o.outOfScopeBlocked} out-of-scope attempts blocked; ${o.mergeConflicts} merge conflicts`);
        for (const [role, u] of Object.entries(o.byRole)) lines.push(`  ${role.padEnd(16)} ${formatTokens(u.tokens).padStart(8)} tokens ${formatUsd(u.costUsd).padStart(9)} ${u.modelCalls} model calls`);
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
