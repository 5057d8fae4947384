// What task workspaces get besides the tracked files, shown with the plan before a person
// approves it: links, copies, the setup command, and loudly when setup has the network.
import type { WorkspaceSettings } from '../config/workspace-settings.ts';
import type { WorkspaceProvisions } from '../workspace/workspace-provisions.ts';
import type { Style } from './style.ts';

export function renderWorkspaceSummary(settings: WorkspaceSettings, provisions: WorkspaceProvisions, style: Style): string | undefined {
  const parts: string[] = [];
  if (provisions.links.length > 0) parts.push(`links ${provisions.links.map((l) => l.path).join(', ')} (read-only, for tests)`);
  if (provisions.copies.length > 0) parts.push(`copies ${provisions.copies.map((c) => c.path).join(', ')} (never committed)`);
  if (provisions.setup) parts.push(`setup "${provisions.setup.command}" once per workspace, sandboxed`);
  if (parts.length === 0 && provisions.unmatched.length === 0) return undefined;
  const lines = [`Task workspaces: ${parts.join('; ') || 'nothing to provide'}`];
  if (provisions.setup?.network) lines.push(style.yellow(style.bold(`  warning: workspace setup runs WITH NETWORK ACCESS in every task workspace ("workspace.setup.network": true in baton.config.json)`)));
  if (provisions.unmatched.length > 0) lines.push(style.yellow(`  not in your checkout, so not provided: ${provisions.unmatched.join(', ')}`));
  if (settings.warm === false) lines.push(style.dim('  fresh worktrees ("workspace.warm": false)'));
  return lines.join('\n');
}
