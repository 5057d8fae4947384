// `baton demo`: copies the example service into a fresh git repository and runs the feature
// ticket end to end — planner, parallel workers, review, merge, tests — with SCRIPTED models
// (no API key needed), through the real tool servers, grants, apply_diff, sandboxed tests and
// store. `--live` runs the same ticket with the models in the example's baton.config.json.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import { BATON_IDENTITY } from '../git/run-git.ts';
import { EXAMPLES_DIR } from '../package-files.ts';
import { EXIT_CODES_HELP } from './exit-codes.ts';
import { runTicket } from './run-command.ts';
import { colorEnabled, createStyle } from './style.ts';

export function demoCommand(): Command {
  return new Command('demo')
    .description('Run baton end to end on a copy of the example service: the CSV-export feature ticket, planned, split across parallel workers, reviewed, merged and tested. Scripted models unless --live.')
    .option('--dir <dir>', 'where to create the demo repository (default: a new temp directory)')
    .option('--live', 'use the live models from the example\'s baton.config.json (needs ANTHROPIC_API_KEY / OPENAI_API_KEY)')
    .option('--max-workers <n>', 'tasks running at once', '3')
    .option('--json', 'print the final run state as JSON')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (flags: { dir?: string; live?: boolean; maxWorkers: string; json?: boolean }) => {
      const style = createStyle(colorEnabled());
      const say = (text: string) => void (flags.json ? process.stderr : process.stdout).write(`${text}\n`);
      const service = path.join(EXAMPLES_DIR, 'service');
      if (!existsSync(service)) throw new Error(`the example service is missing at ${service}: this installation of @baton/orchestrator is incomplete; reinstall it`);
      const dir = flags.dir ? path.resolve(flags.dir) : path.join(mkdtempSync(path.join(tmpdir(), 'baton-demo-')), 'acme-admin-service');
      if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`--dir ${dir} is not empty; choose a new directory`);
      cpSync(service, dir, { recursive: true });
      for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['commit', '-q', '-m', 'acme-admin-service: initial import']]) {
        const git = spawnSync('git', args, { cwd: dir, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, GIT_CONFIG_NOSYSTEM: '1', ...BATON_IDENTITY }, encoding: 'utf8' });
        if (git.status !== 0) throw new Error(`git ${args[0]} failed in ${dir}: ${git.stderr}`);
      }
      say(style.bold(`baton demo: the example service is in ${dir} (a fresh git repository on branch main)`));
      if (!flags.live) say(style.yellow('Models are SCRIPTED: they replay prepared answers so the demo runs without an API key. Everything else is real.'));
      const scripts = path.join(EXAMPLES_DIR, 'scripts', 'feature');
      const code = await runTicket(undefined, {
        repo: dir,
        ticketFile: path.join(EXAMPLES_DIR, 'tickets', 'feature-csv-export.md'),
        workflow: 'feature',
        maxWorkers: flags.maxWorkers,
        yes: true,
        ...(flags.json ? { json: true } : {}),
        ...(flags.live ? {} : { planner: `scripted:${path.join(scripts, 'planner.yaml')}`, worker: `scripted:${path.join(scripts, 'worker.yaml')}`, reviewer: `scripted:${path.join(scripts, 'reviewer.yaml')}` }),
      });
      say('');
      say(`Open the dashboard: ${style.bold(`baton ui --repo ${dir}`)}`);
      say(`Branch main is untouched; try the result: cd ${dir} && git switch baton/<run id above> && node --test`);
      process.exitCode = code;
    });
}
