import { describe, expect, it } from 'vitest';
import { parseTestOutput } from './summary-parsers.ts';

describe('parseTestOutput', () => {
  it('reads vitest summaries', () => {
    const out = ' FAIL  src/a.test.ts > adds\n Test Files  1 failed | 2 passed (3)\n      Tests  1 failed | 7 passed | 2 skipped (10)\n';
    expect(parseTestOutput(out)).toEqual({ runner: 'vitest', passed: 7, failed: 1, skipped: 2, failing: ['src/a.test.ts > adds'] });
  });
  it('reads jest summaries', () => {
    const out = '  ● math › divides\n\nTests:       1 failed, 4 passed, 5 total\n';
    expect(parseTestOutput(out)).toEqual({ runner: 'jest', passed: 4, failed: 1, skipped: 0, failing: ['math › divides'] });
  });
  it('reads node --test TAP', () => {
    const out = 'ok 1 - adds\nnot ok 2 - divides\n# tests 2\n# pass 1\n# fail 1\n# skipped 0\n';
    expect(parseTestOutput(out)).toEqual({ runner: 'node', passed: 1, failed: 1, skipped: 0, failing: ['divides'] });
  });
  it('reads the node --test spec reporter', () => {
    const out = '✔ adds (0.5ms)\n✖ divides (1.2ms)\nℹ tests 2\nℹ pass 1\nℹ fail 1\nℹ skipped 0\n\n✖ failing tests:\n\n✖ divides (1.2ms)\n';
    expect(parseTestOutput(out)).toEqual({ runner: 'node', passed: 1, failed: 1, skipped: 0, failing: ['divides'] });
  });
  it('reads pytest summaries', () => {
    const out = 'FAILED tests/test_a.py::test_div - ZeroDivisionError\n==== 1 failed, 3 passed, 1 skipped in 0.12s ====\n';
    expect(parseTestOutput(out)).toEqual({ runner: 'pytest', passed: 3, failed: 1, skipped: 1, failing: ['tests/test_a.py::test_div'] });
  });
  it('reads go test -v', () => {
    const out = '=== RUN   TestAdd\n--- PASS: TestAdd (0.00s)\n--- FAIL: TestDiv (0.00s)\nFAIL\tex/calc\t0.01s\n';
    expect(parseTestOutput(out)).toEqual({ runner: 'go', passed: 1, failed: 1, skipped: 0, failing: ['TestDiv'] });
  });
  it('reads cargo test', () => {
    const out = 'test tests::adds ... ok\ntest tests::divides ... FAILED\n\ntest result: FAILED. 1 passed; 1 failed; 2 ignored; 0 measured; 0 filtered out\n';
    expect(parseTestOutput(out)).toEqual({ runner: 'cargo', passed: 1, failed: 1, skipped: 2, failing: ['tests::divides'] });
  });
  it('reports nothing for output it does not recognise', () => {
    expect(parseTestOutput('all good\n')).toBeUndefined();
  });
});
