// Reads baton.config.json from a repository (if any) and reports problems as user errors
// that name the file and the field.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BatonConfigSchema, CONFIG_FILE_NAME, type BatonConfig } from './config-schema.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export async function loadConfig(repo: string): Promise<{ config: BatonConfig; file: string | undefined }> {
  const file = path.join(repo, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { config: BatonConfigSchema.parse({}), file: undefined };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = BatonConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`).join('\n');
    throw new ConfigError(`${file} has problems:\n${problems}`);
  }
  return { config: parsed.data, file };
}
