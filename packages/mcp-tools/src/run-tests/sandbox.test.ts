import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sandboxStatus } from './sandbox.ts';

describe('sandboxStatus', () => {
  // CI runs as root on a fresh machine with bubblewrap installed: a failing probe there would
  // silently skip every sandbox test and turn run_tests into refusals, so it must not fail.
  it.runIf(process.env['CI'] === 'true' && existsSync('/usr/bin/bwrap'))('finds a working sandbox on CI', () => {
    expect(sandboxStatus()).toEqual({ available: true, bwrap: '/usr/bin/bwrap' });
  });

  it('says why when there is no sandbox', () => {
    const status = sandboxStatus();
    if (!status.available) expect(status.reason).toMatch(/bwrap|bubblewrap/);
    else expect(status.bwrap).toMatch(/bwrap$/);
  });
});
