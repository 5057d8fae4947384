import { scriptedClient, type ModelClient } from '@baton/worker-host';
import { describe, expect, it } from 'vitest';
import { BatonConfigSchema } from '../config/config-schema.ts';
import { costOf } from './models.ts';

const live: ModelClient = { provider: 'anthropic', model: 'claude-opus-4-6', scripted: false, complete: async () => { throw new Error('unused'); } };
const usage = { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 0, cacheWriteTokens: 0 };

describe('costOf', () => {
  it('uses the built-in price table, and prices from baton.config.json first', () => {
    expect(costOf(live, usage)).toBeCloseTo(5 + 2.5);
    const config = BatonConfigSchema.parse({ prices: { 'anthropic:claude-opus-4-6': { input: 1, output: 10 } } });
    expect(costOf(live, usage, config.prices)).toBeCloseTo(1 + 1);
  });

  it('charges nothing for scripted models', () => {
    expect(costOf(scriptedClient({ turns: [] }), usage)).toBe(0);
  });
});
