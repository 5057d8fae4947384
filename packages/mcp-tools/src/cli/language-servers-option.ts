// `--language-servers FILE` for baton serve and baton tools: the servers the code-intelligence
// tools may start, or a usage error that says what is wrong with the file. Servers starting and
// stopping are reported to the operator on stderr.
import { LanguageServerConfigError, loadLanguageServerSpecs } from '../lsp/language-server-config.ts';
import type { ServerEvent } from '../lsp/managed-server.ts';
import type { LanguageServerPoolOptions } from '../lsp/server-pool.ts';
import { UsageError } from './grant-options.ts';

export function languageServerPoolOptions(file: string | undefined, options: { prefix: string }): LanguageServerPoolOptions {
  const onEvent = (event: ServerEvent) => process.stderr.write(`${options.prefix}: ${describeServerEvent(event)}\n`);
  if (file === undefined) return { onEvent };
  try {
    return { specs: loadLanguageServerSpecs(file), onEvent };
  } catch (error) {
    if (error instanceof LanguageServerConfigError) throw new UsageError(`--language-servers: ${error.message}`);
    throw error;
  }
}

export function describeServerEvent(event: ServerEvent): string {
  switch (event.type) {
    case 'lsp.started':
      return `language server ${event.server} started for ${event.root} (pid ${event.pid ?? '?'}, ${event.sandboxed ? 'sandboxed' : 'NOT sandboxed'}, ${event.durationMs} ms)`;
    case 'lsp.stopped':
      return `language server ${event.server} for ${event.root} stopped (${event.reason}${event.detail ? `: ${event.detail}` : ''})`;
    case 'lsp.memory':
      return `language server ${event.server} for ${event.root} used ${Math.round(event.bytes / 1024 / 1024)} MiB, over its limit`;
  }
}
