import { describe, expect, it } from 'vitest';
import { costUsd, ModelIdError, parseModelId, priceFor } from './model-id.ts';

const usage = (inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0) => ({ inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens });

describe('parseModelId', () => {
  it('splits provider:model at the first colon', () => {
    expect(parseModelId('anthropic:claude-opus-4-6')).toEqual({ provider: 'anthropic', model: 'claude-opus-4-6' });
    expect(parseModelId('openai-compatible:qwen3-coder:30b')).toEqual({ provider: 'openai-compatible', model: 'qwen3-coder:30b' });
    expect(parseModelId('scripted:scripts/worker.yaml')).toEqual({ provider: 'scripted', model: 'scripts/worker.yaml' });
  });

  it.each(['claude-opus-4-6', ':x', 'anthropic:', 'gemini:pro', 'Anthropic:claude'])('rejects %j, naming the providers', (id) => {
    expect(() => parseModelId(id)).toThrow(ModelIdError);
    expect(() => parseModelId(id)).toThrow('anthropic, openai, openai-compatible, scripted');
  });
});

describe('costUsd', () => {
  it('charges input, output and cached tokens at their prices per million', () => {
    // 1M input of which 600k cache reads and 100k cache writes; 100k output.
    const cost = costUsd('anthropic:claude-opus-4-6', usage(1_000_000, 100_000, 600_000, 100_000));
    expect(cost).toBeCloseTo(0.3 * 5 + 0.1 * 25 + 0.6 * 0.5 + 0.1 * 6.25);
  });

  it('uses overrides over the defaults and prices dated snapshots like their model', () => {
    const overrides = { 'anthropic:claude-opus-4-6': { input: 1, output: 1 }, 'openai-compatible:qwen3-coder': { input: 0.1, output: 0.2 } };
    expect(costUsd('anthropic:claude-opus-4-6', usage(1_000_000, 1_000_000), overrides)).toBeCloseTo(2);
    expect(costUsd('openai-compatible:qwen3-coder', usage(1_000_000, 1_000_000), overrides)).toBeCloseTo(0.3);
    expect(costUsd('anthropic:claude-haiku-4-5-20251001', usage(1_000_000, 0))).toBeCloseTo(1);
    expect(priceFor('anthropic:claude-haiku-4-5-20251001')).toEqual(priceFor('anthropic:claude-haiku-4-5'));
    expect(priceFor('anthropic:claude-haiku-4-50')).toBeUndefined();
  });

  it('is zero for scripted and unpriced models', () => {
    expect(costUsd('scripted:worker.yaml', usage(1e6, 1e6))).toBe(0);
    expect(costUsd('openai-compatible:llama', usage(1e6, 1e6))).toBe(0);
    expect(priceFor('openai-compatible:llama')).toBeUndefined();
  });
});
