import { describe, expect, it } from 'vitest';
import { CommandLineSyntaxError, parseTestOption, splitCommandLine } from './test-command.ts';

describe('splitCommandLine', () => {
  it('splits on whitespace and honours quotes and escapes', () => {
    expect(splitCommandLine('pnpm vitest run')).toEqual(['pnpm', 'vitest', 'run']);
    expect(splitCommandLine(`node --test "test/a b.ts" 'x y' z\\ w`)).toEqual(['node', '--test', 'test/a b.ts', 'x y', 'z w']);
    expect(splitCommandLine('a ""')).toEqual(['a', '']);
  });

  it('keeps shell metacharacters as literal text', () => {
    expect(splitCommandLine('npm test; rm -rf / && $(id) | cat')).toEqual(['npm', 'test;', 'rm', '-rf', '/', '&&', '$(id)', '|', 'cat']);
  });

  it('rejects an unterminated quote', () => {
    expect(() => splitCommandLine('node "oops')).toThrow(CommandLineSyntaxError);
  });
});

describe('parseTestOption', () => {
  it('parses NAME=COMMAND', () => {
    expect(parseTestOption('unit=pnpm vitest run')).toEqual({ name: 'unit', command: { argv: ['pnpm', 'vitest', 'run'] } });
  });

  it.each(['=cmd', 'unit', 'bad name=cmd', 'x=', 'a;b=cmd'])('rejects %j', (value) => {
    expect(() => parseTestOption(value)).toThrow(CommandLineSyntaxError);
  });
});
