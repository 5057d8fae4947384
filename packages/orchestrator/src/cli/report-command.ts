// `baton report`: pilot metrics per run and overall, as a table, JSON or CSV.
import { Command, Option } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import { computeReport, runMetrics } from '../report/compute-report.ts';
import { reportCsv } from '../report/report-csv.ts';
import { reportTable } from '../report/report-table.ts';
import { withStore } from './repo-store.ts';

interface ReportFlags {
  repo?: string;
  since?: string;
  run?: string;
  json?: boolean;
  csv?: boolean;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('Pilot metrics per run and overall: wall time, tokens and cost by role, tasks, reworks, escalations, tests, blocked out-of-scope attempts, merge conflicts.')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--since <date>', 'only runs created on or after this date or time (e.g. 2026-11-01, read as UTC midnight)')
    .option('--run <id>', 'only this run')
    .addOption(new Option('--json', 'print JSON (runs and overall totals)').conflicts('csv'))
    .option('--csv', 'print CSV, one row per run (RFC 4180)')
    .action(async (flags: ReportFlags) => {
      const since = flags.since === undefined ? undefined : Date.parse(flags.since);
      if (since !== undefined && Number.isNaN(since)) throw new UsageError(`--since ${flags.since} is not a date; use e.g. 2026-11-01 or 2026-11-01T09:00:00Z`);
      await withStore(flags, async ({ store }) => {
        const summaries = await store.listRuns();
        if (flags.run !== undefined && !summaries.some((r) => r.runId === flags.run)) throw new UsageError(`no run ${flags.run} in this repository; see baton status for the runs`);
        const chosen = summaries
          .filter((r) => (flags.run === undefined || r.runId === flags.run) && (since === undefined || Date.parse(r.createdAt) >= since))
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.runId.localeCompare(b.runId));
        const metrics = [];
        for (const r of chosen) metrics.push(runMetrics(await store.state(r.runId), await store.events(r.runId)));
        const report = computeReport(metrics);
        if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else if (flags.csv) process.stdout.write(reportCsv(report));
        else process.stdout.write(reportTable(report));
      });
    });
}
