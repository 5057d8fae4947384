// `baton doctor`: checks what baton needs — Node, git, bubblewrap with user namespaces, ripgrep,
// the repository's store and config, and each configured model with one tiny call — and says
// how to fix each failure.
import path from 'node:path';
import { Command } from 'commander';
import { BatonConfigSchema, type BatonConfig } from '../config/config-schema.ts';
import { doctorExitCode, runChecks, type CheckResult, type DoctorCheck } from '../doctor/doctor-check.ts';
import { gitCheck, nodeCheck, ripgrepCheck, sandboxCheck } from '../doctor/environment-checks.ts';
import { configuredModels, modelCheck } from '../doctor/model-checks.ts';
import { configCheck, storeCheck } from '../doctor/repo-checks.ts';
import { visibleText } from '../ui/static/visible-text.js';
import { repoTopLevel } from './repo-store.ts';
import { colorEnabled, createStyle, type Style } from './style.ts';

interface DoctorFlags {
  repo?: string;
  json?: boolean;
  models?: boolean;
  modelTimeout: string;
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('Check the machine, the repository and each configured model (one tiny call each), and say how to fix what is wrong.')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--json', 'print the results as JSON')
    .option('--no-models', 'skip the model calls (they cost a few tokens each)')
    .option('--model-timeout <seconds>', 'longest one model call may take', '60')
    .addHelpText('after', '\nExit codes: 0 nothing failed (warnings allowed), 1 a check failed, 2 usage error.')
    .action(async (flags: DoctorFlags) => {
      const timeoutSeconds = Number(flags.modelTimeout);
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
        process.stderr.write(`baton doctor: --model-timeout must be a positive number of seconds, got "${flags.modelTimeout}"\n`);
        process.exitCode = 2;
        return;
      }
      const style = createStyle(!flags.json && colorEnabled());
      const results = await runChecks(await checksFor(flags, timeoutSeconds * 1000), flags.json ? undefined : (r) => process.stdout.write(formatResult(r, style)));
      const exitCode = doctorExitCode(results);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ ok: exitCode === 0, results }, null, 2)}\n`);
      } else {
        const failed = results.filter((r) => r.status === 'fail').length;
        const warned = results.filter((r) => r.status === 'warn').length;
        process.stdout.write(failed > 0 ? style.red(`\n${failed} check(s) failed${warned ? `, ${warned} warning(s)` : ''}: fix them and run baton doctor again\n`) : style.green(`\nready${warned ? ` (${warned} warning(s))` : ''}\n`));
      }
      process.exitCode = exitCode;
    });
}

async function checksFor(flags: DoctorFlags, modelTimeoutMs: number): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [nodeCheck(), gitCheck(), sandboxCheck(), ripgrepCheck()];
  let repo: string | undefined;
  try {
    repo = await repoTopLevel(flags.repo ?? process.cwd());
  } catch (error) {
    const where = path.resolve(flags.repo ?? process.cwd());
    checks.push({ name: 'repository', run: async () => ({ name: 'repository', status: 'fail', detail: (error as Error).message, fix: `run baton doctor inside the repository baton should work on, or pass --repo <dir> (${where} is not one)` }) });
  }
  let config: BatonConfig = BatonConfigSchema.parse({});
  if (repo) {
    checks.push(configCheck(repo, (loaded) => (config = loaded)), storeCheck(repo));
  }
  // The model checks are built once the config check has run, from the models it names.
  checks.push({
    name: 'models',
    run: async () => {
      if (flags.models === false) return { name: 'models', status: 'skip', detail: 'skipped (--no-models)' };
      const results: CheckResult[] = [];
      for (const model of configuredModels(config)) {
        if (!flags.json && process.stderr.isTTY) process.stderr.write(`checking ${model.id}…\r`);
        results.push(...(await runChecks([modelCheck(model, config, { repo: repo ?? process.cwd(), env: process.env, timeoutMs: modelTimeoutMs })])));
      }
      return results;
    },
  });
  return checks;
}

const LABEL: Record<CheckResult['status'], string> = { ok: 'ok', warn: 'warn', fail: 'FAIL', skip: 'skip' };

function formatResult(result: CheckResult, style: Style): string {
  const paint = result.status === 'ok' ? style.green : result.status === 'warn' ? style.yellow : result.status === 'fail' ? style.red : style.dim;
  const head = `${paint(LABEL[result.status].padEnd(5))} ${style.bold(result.name)}: ${visibleText(result.detail)}`;
  return result.fix ? `${head}\n      ${style.dim('fix:')} ${result.fix}\n` : `${head}\n`;
}
