// `baton workspaces`: the warm worktrees kept under .git/baton/warm, and `--remove` to delete
// the idle ones (a run makes them again when it needs them).
import { realpathSync } from 'node:fs';
import { Command } from 'commander';
import { gitCommonDir } from '../workspace/baton-paths.ts';
import { listWarmSlots, removeWarmSlots } from '../workspace/warm-slots.ts';
import { colorEnabled, createStyle } from './style.ts';

export function workspacesCommand(): Command {
  return new Command('workspaces')
    .description('List the warm worktrees baton keeps between tasks and runs (.git/baton/warm); --remove deletes the idle ones.')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--remove', 'delete every warm worktree no running baton holds')
    .option('--json', 'print JSON')
    .action(async (options: { repo?: string; remove?: boolean; json?: boolean }) => {
      const commonDir = realpathSync(await gitCommonDir(options.repo ?? process.cwd()));
      const removed = options.remove ? await removeWarmSlots({ commonDir }) : [];
      const slots = await listWarmSlots({ commonDir });
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ slots, ...(options.remove ? { removed } : {}) }, null, 2)}\n`);
        return;
      }
      const style = createStyle(colorEnabled());
      for (const dir of removed) process.stdout.write(`${style.green('removed')} ${dir}\n`);
      if (slots.length === 0) process.stdout.write(options.remove ? 'no warm worktrees left\n' : 'no warm worktrees\n');
      for (const slot of slots) {
        const state = slot.inUse ? style.yellow('in use') : slot.dirty ? style.yellow('left dirty by a killed run: cleaned on the next run') : 'idle, clean';
        process.stdout.write(`${slot.dir}  ${state}\n`);
      }
    });
}
