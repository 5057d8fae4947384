// The engine's test runner: the run_tests tool of @baton/mcp-tools, called in process with a
// grant that holds exactly the named suites, so review-gate and post-merge tests run under the
// same sandbox, environment scrub and output limits as a worker's.
import { ALL_TOOLS, GrantSchema, invokeTool, type TestLink } from '@baton/mcp-tools';
import { splitCommandLine } from '@baton/mcp-tools';
import type { SuiteResult, TestPort } from './engine-ports.ts';

export function toolTests(options: { testCommands: Readonly<Record<string, string>>; timeoutSeconds?: number; links?: readonly TestLink[] }): TestPort {
  return {
    async run({ dir, suites, signal }) {
      const results: SuiteResult[] = [];
      const tool = ALL_TOOLS.find((t) => t.name === 'run_tests');
      for (const suite of suites) {
        const command = options.testCommands[suite];
        if (command === undefined) {
          results.push({ suite, passed: false, summary: `no test command named "${suite}" in baton.config.json tests`, durationMs: 0 });
          continue;
        }
        if (!tool) {
          results.push({ suite, passed: false, summary: 'this build of baton has no run_tests tool', durationMs: 0 });
          continue;
        }
        const grant = GrantSchema.parse({
          id: `gate-${suite}`,
          tools: ['run_tests'],
          read: ['**'],
          tests: { [suite]: { argv: splitCommandLine(command) } },
          ...(options.links?.length ? { testLinks: options.links } : {}),
          ...(options.timeoutSeconds !== undefined ? { limits: { testTimeoutSeconds: options.timeoutSeconds } } : {}),
        });
        const started = Date.now();
        const result = await invokeTool(tool, { suite }, signal, { root: dir, grant, sessionId: 'orchestrator' });
        const structured = (result.structuredContent ?? {}) as { status?: string };
        const text = (result.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('\n');
        const passed = result.isError !== true && structured.status === 'passed';
        results.push({ suite, passed, summary: summarize(text), durationMs: Date.now() - started });
      }
      return results;
    },
  };
}

function summarize(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.slice(0, 12).join('\n').slice(0, 2000);
}
