// `baton init`: inspects the repository and writes baton.config.json.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import { CONFIG_FILE_NAME } from '../config/config-schema.ts';
import { inspectRepo, proposeConfig } from '../config/inspect-repo.ts';
import { configSchemaReference } from '../package-files.ts';
import { colorEnabled, createStyle } from './style.ts';

export function initCommand(): Command {
  return new Command('init')
    .description(`Inspect the repository and write ${CONFIG_FILE_NAME} (models, budgets, test commands, protected paths).`)
    .option('--repo <dir>', 'repository to configure', process.cwd())
    .option('--force', `overwrite an existing ${CONFIG_FILE_NAME}`)
    .option('--json', 'print the proposed config as JSON and write nothing')
    .action(async (options: { repo: string; force?: boolean; json?: boolean }) => {
      const repo = path.resolve(options.repo);
      if (!existsSync(repo)) throw new UsageError(`--repo ${repo} does not exist`);
      const facts = await inspectRepo(repo);
      const config = proposeConfig(facts, { schema: configSchemaReference(repo) });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
        return;
      }
      const file = path.join(repo, CONFIG_FILE_NAME);
      if (existsSync(file) && !options.force) throw new UsageError(`${file} exists; pass --force to overwrite it`);
      await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
      const style = createStyle(colorEnabled());
      process.stdout.write(`${style.green('wrote')} ${file}\n`);
      for (const note of facts.notes) process.stdout.write(`  ${style.dim('•')} ${note}\n`);
      process.stdout.write(`Review the models and budgets, then: baton plan "<ticket>" --repo ${options.repo}\n`);
    });
}
