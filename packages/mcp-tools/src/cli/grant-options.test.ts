import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { grantFromCli, UsageError } from './grant-options.ts';

describe('grantFromCli: test options', () => {
  it('--test-ro adds absolute read-only paths for the test sandbox', () => {
    const grant = grantFromCli({ test: ['unit=node --test'], testRo: ['/opt/jdk', 'relative/cache'] });
    expect(grant.testReadOnly).toEqual(['/opt/jdk', path.resolve('relative/cache')]);
  });

  it('--test-env refuses a credential-looking name, saying which', () => {
    expect(() => grantFromCli({ test: ['unit=node --test'], testEnv: ['NODE_ENV', 'MYSQL_PWD'] })).toThrow(UsageError);
    expect(() => grantFromCli({ test: ['unit=node --test'], testEnv: ['MYSQL_PWD'] })).toThrow(/MYSQL_PWD looks like a credential/);
    expect(grantFromCli({ testEnv: ['NODE_ENV'] }).testEnv).toEqual(['NODE_ENV']);
  });
});
