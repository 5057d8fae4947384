import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from './run-cli.ts';

/** What commander throws for --version, as a different copy of commander builds it (not this package's class). */
function foreignCommanderError(code: string, exitCode: number): Error {
  return Object.assign(new Error('0.1.0'), { name: 'CommanderError', code, exitCode });
}

describe('runCli exit codes', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  it('treats an exit of another copy of commander as commander exit, not as a crash', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const program = new Command('x').action(() => {
      throw foreignCommanderError('commander.version', 0);
    });
    await runCli(program, ['node', 'x']);
    expect(process.exitCode).toBe(0);
    expect(stderr).not.toHaveBeenCalled();
  });

  it('gives a usage error of another copy of commander exit code 2', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const program = new Command('x').action(() => {
      throw foreignCommanderError('commander.invalidArgument', 1);
    });
    await runCli(program, ['node', 'x']);
    expect(process.exitCode).toBe(2);
  });

  it('reports any other error as a failure with exit code 1', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const program = new Command('x').action(() => {
      throw Object.assign(new Error('boom'), { code: 'ENOENT', exitCode: 0 });
    });
    await runCli(program, ['node', 'x']);
    expect(process.exitCode).toBe(1);
    expect(String(stderr.mock.calls[0]?.[0])).toContain('boom');
  });
});
