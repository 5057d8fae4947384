// How long a model's stream may stay silent before the call is abandoned (and retried): two
// minutes by default, BATON_MODEL_IDLE_TIMEOUT_SECONDS in the environment, or
// models.streamIdleTimeoutSeconds in baton.config.json (the environment wins). A slow local
// model needs longer; a strict wall budget may want shorter.
import { ModelIdError } from './model-id.ts';

export const IDLE_TIMEOUT_ENV = 'BATON_MODEL_IDLE_TIMEOUT_SECONDS';

/** The idle timeout the environment asks for, in ms; undefined when it names none. */
export function idleTimeoutFromEnv(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const text = env[IDLE_TIMEOUT_ENV]?.trim();
  if (text === undefined || text === '') return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new ModelIdError(`${IDLE_TIMEOUT_ENV} must be a positive number of seconds (e.g. 300), got "${text}"`);
  return Math.round(seconds * 1000);
}
