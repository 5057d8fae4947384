import { describe, expect, it } from 'vitest';
import { filterProblem } from './test-filter.ts';

describe('filterProblem', () => {
  it.each([
    // The attack from the report, then what other runners read as options or option files.
    '--import=data:text/javascript,import{writeFileSync}from"node:fs";writeFileSync("PWNED","")',
    '--import=./evil.mjs', '--require=./evil.cjs', '-r', '--require', '-e', '--eval=process.exit(0)', '-p', '--loader=./evil.mjs',
    '--experimental-loader=./x.mjs', '--inspect=0.0.0.0:9229', '--config=evil.config.ts', '-c', '--setupFiles=./evil.js',
    '-p evil_plugin', '--rootdir=/', '-exec=sh', '--config=build.rustflags=["-Cevil"]', '--', '-', ' --import=x', '\t-r',
    '+x', '@args.rsp', '@/tmp/opts',
  ])('refuses %j', (filter) => {
    expect(filterProblem(filter)).toMatch(/may not start with/);
  });

  it.each(['test/a.test.mjs', 'adds numbers', 'name with -dash inside', './-starts-with-dash.test.mjs', 'a@b', 'x+y', 'src/**/*.test.ts', '$(id); rm -rf /'])(
    'accepts %j',
    (filter) => {
      expect(filterProblem(filter)).toBeUndefined();
    },
  );

  it('refuses NUL bytes', () => {
    expect(filterProblem('a\0b')).toMatch(/NUL/);
  });
});
