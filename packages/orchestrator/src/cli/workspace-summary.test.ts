import { describe, expect, it } from 'vitest';
import { WorkspaceSettingsSchema } from '../config/workspace-settings.ts';
import { renderWorkspaceSummary } from './workspace-summary.ts';
import { createStyle } from './style.ts';

const style = createStyle(false);
const provisions = {
  links: [{ source: '/repo/.venv', path: '.venv' }],
  copies: [{ source: '/repo/.env.test', path: '.env.test' }],
  setup: { command: 'make generate', argv: ['make', 'generate'], network: true, timeoutSeconds: 600 },
  unmatched: ['link packages/*/node_modules'],
};

describe('renderWorkspaceSummary', () => {
  it('says what workspaces get, and loudly that setup has the network', () => {
    const text = renderWorkspaceSummary(WorkspaceSettingsSchema.parse({}), provisions, style)!;
    expect(text).toContain('Task workspaces: links .venv (read-only, for tests); copies .env.test (never committed); setup "make generate" once per workspace, sandboxed');
    expect(text).toContain('warning: workspace setup runs WITH NETWORK ACCESS in every task workspace');
    expect(text).toContain('not in your checkout, so not provided: link packages/*/node_modules');
  });

  it('says nothing when there is nothing to provide', () => {
    expect(renderWorkspaceSummary(WorkspaceSettingsSchema.parse({}), { links: [], copies: [], unmatched: [] }, style)).toBeUndefined();
    const quiet = renderWorkspaceSummary(WorkspaceSettingsSchema.parse({}), { ...provisions, setup: { ...provisions.setup, network: false } }, style)!;
    expect(quiet).not.toContain('NETWORK');
  });
});
