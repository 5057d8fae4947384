// Reads pass/fail counts and failing test names from common runners' output. The exit code
// decides pass or fail; these only add detail, and report nothing rather than guess.
export interface TestCounts {
  runner: 'vitest' | 'jest' | 'node' | 'pytest' | 'go' | 'cargo';
  passed: number;
  failed: number;
  skipped: number;
  failing: string[];
}

const MAX_FAILING = 20;
const num = (s: string | undefined) => (s === undefined ? 0 : Number(s));

export function parseTestOutput(output: string): TestCounts | undefined {
  return parseVitest(output) ?? parseJest(output) ?? parseNodeTest(output) ?? parsePytest(output) ?? parseCargo(output) ?? parseGoTest(output);
}

function parseVitest(out: string): TestCounts | undefined {
  const line = /^\s*Tests\s+(.*)$/m.exec(out)?.[1];
  if (!line || !/\b(passed|failed)\b/.test(line) || /\btotal\b/.test(line)) return undefined;
  const failing = [...out.matchAll(/^\s*(?:FAIL|×|✗)\s+(.+?)\s*$/gm)].map((m) => m[1]!);
  return { runner: 'vitest', passed: num(/(\d+) passed/.exec(line)?.[1]), failed: num(/(\d+) failed/.exec(line)?.[1]), skipped: num(/(\d+) skipped/.exec(line)?.[1]), failing: unique(failing) };
}

function parseJest(out: string): TestCounts | undefined {
  const line = /^Tests:\s+(.*\btotal\b.*)$/m.exec(out)?.[1];
  if (!line) return undefined;
  const failing = [...out.matchAll(/^\s*●\s+(.+?)\s*$/gm)].map((m) => m[1]!);
  return { runner: 'jest', passed: num(/(\d+) passed/.exec(line)?.[1]), failed: num(/(\d+) failed/.exec(line)?.[1]), skipped: num(/(\d+) skipped/.exec(line)?.[1]), failing: unique(failing) };
}

function parseNodeTest(out: string): TestCounts | undefined {
  const pass = /^# pass (\d+)$/m.exec(out)?.[1];
  const fail = /^# fail (\d+)$/m.exec(out)?.[1];
  if (pass === undefined || fail === undefined) {
    // The spec reporter (a terminal) prints "ℹ pass N".
    const specPass = /^ℹ pass (\d+)$/m.exec(out)?.[1];
    const specFail = /^ℹ fail (\d+)$/m.exec(out)?.[1];
    if (specPass === undefined || specFail === undefined) return undefined;
    const failing = [...out.matchAll(/^\s*✖ (.+?)(?: \([\d.]+m?s\))?$/gm)].map((m) => m[1]!).filter((name) => name !== 'failing tests:');
    return { runner: 'node', passed: num(specPass), failed: num(specFail), skipped: num(/^ℹ skipped (\d+)$/m.exec(out)?.[1]), failing: unique(failing) };
  }
  const failing = [...out.matchAll(/^\s*not ok \d+ - (.+?)(?:\s+#.*)?$/gm)].map((m) => m[1]!);
  return { runner: 'node', passed: num(pass), failed: num(fail), skipped: num(/^# skipped (\d+)$/m.exec(out)?.[1]), failing: unique(failing) };
}

function parsePytest(out: string): TestCounts | undefined {
  const line = /^=+ (.*\b(?:passed|failed|error)\b.*) in [\d.]+s.*=+$/m.exec(out)?.[1];
  if (!line) return undefined;
  const failing = [...out.matchAll(/^FAILED (\S+)/gm)].map((m) => m[1]!);
  return { runner: 'pytest', passed: num(/(\d+) passed/.exec(line)?.[1]), failed: num(/(\d+) failed/.exec(line)?.[1]) + num(/(\d+) errors?/.exec(line)?.[1]), skipped: num(/(\d+) skipped/.exec(line)?.[1]), failing: unique(failing) };
}

function parseCargo(out: string): TestCounts | undefined {
  const results = [...out.matchAll(/^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored/gm)];
  if (results.length === 0) return undefined;
  const sum = (i: number) => results.reduce((n, m) => n + Number(m[i]), 0);
  const failing = [...out.matchAll(/^test (\S+) \.\.\. FAILED$/gm)].map((m) => m[1]!);
  return { runner: 'cargo', passed: sum(1), failed: sum(2), skipped: sum(3), failing: unique(failing) };
}

function parseGoTest(out: string): TestCounts | undefined {
  const passes = [...out.matchAll(/^\s*--- PASS: (\S+)/gm)];
  const fails = [...out.matchAll(/^\s*--- FAIL: (\S+)/gm)].map((m) => m[1]!);
  const skips = [...out.matchAll(/^\s*--- SKIP: (\S+)/gm)];
  if (passes.length + fails.length + skips.length === 0) {
    if (!/^(ok|FAIL)\s+\S+/m.test(out)) return undefined;
  }
  return { runner: 'go', passed: passes.length, failed: fails.length, skipped: skips.length, failing: unique(fails) };
}

function unique(names: string[]): string[] {
  return [...new Set(names)].slice(0, MAX_FAILING);
}
