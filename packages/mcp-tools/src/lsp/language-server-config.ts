// Reads the operator's language-server configuration (`--language-servers FILE`): more servers
// (gopls, rust-analyzer, clangd, …) or replacements for the built-in ones, as JSON.
import { readFileSync } from 'node:fs';
import { builtinServerSpecs } from './builtin-servers.ts';
import { LanguageServersFileSchema, mergeSpecs, specsFromConfig, type LanguageServerConfig, type LanguageServerSpec } from './server-spec.ts';

/** The configuration file is missing or wrong: the operator is at fault. */
export class LanguageServerConfigError extends Error {
  override name = 'LanguageServerConfigError';
}

/** The built-in servers merged with those of `file` (same id replaces; each extension goes to the last server naming it). */
export function loadLanguageServerSpecs(file: string): LanguageServerSpec[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new LanguageServerConfigError(`cannot read the language-server configuration ${file}: ${(error as Error).message}`);
  }
  const parsed = LanguageServersFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(file)'}: ${i.message}`).join('; ');
    throw new LanguageServerConfigError(`the language-server configuration ${file} is invalid: ${problems}. Expected {"servers": [{"id": "gopls", "command": ["gopls"], "languages": {".go": "go"}}]}`);
  }
  return languageServerSpecs(parsed.data.servers);
}

/** The built-in servers merged with configured ones (already validated, e.g. from baton.config.json's `languageServers`). */
export function languageServerSpecs(servers: readonly LanguageServerConfig[]): LanguageServerSpec[] {
  return mergeSpecs(builtinServerSpecs(), specsFromConfig(servers));
}
