// Checks of the repository: its baton.config.json and its run store.
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { ConfigError, loadConfig } from '../config/load-config.ts';
import type { BatonConfig } from '../config/config-schema.ts';
import { defaultStorePath } from '../store/open-store.ts';
import type { CheckResult, DoctorCheck } from './doctor-check.ts';

/** Loads the config once; the model checks read the models from it. */
export function configCheck(repo: string, loaded: (config: BatonConfig) => void): DoctorCheck {
  return {
    name: 'config',
    async run(): Promise<CheckResult> {
      try {
        const { config, file } = await loadConfig(repo);
        loaded(config);
        if (!file) return { name: 'config', status: 'warn', detail: 'no baton.config.json: built-in defaults (no test commands, so workers cannot run tests)', fix: `write one with: baton init --repo ${repo}` };
        const tests = Object.keys(config.tests);
        if (tests.length === 0) return { name: 'config', status: 'warn', detail: `${file}: valid, but names no test commands`, fix: 'add "tests" (e.g. {"unit": "npm test"}) so workers and the review gate can run them' };
        if (config.gateTest && !tests.includes(config.gateTest)) return { name: 'config', status: 'fail', detail: `${file}: gateTest "${config.gateTest}" is not one of the tests (${tests.join(', ')})`, fix: 'set gateTest to the name of one of the tests' };
        return { name: 'config', status: 'ok', detail: `${file}: valid; tests ${tests.join(', ')}` };
      } catch (error) {
        if (error instanceof ConfigError) return { name: 'config', status: 'fail', detail: error.message, fix: 'fix the fields named above (baton init writes a valid file to start from)' };
        throw error;
      }
    },
  };
}

export function storeCheck(repo: string): DoctorCheck {
  return {
    name: 'store',
    async run(): Promise<CheckResult> {
      const file = await defaultStorePath(repo);
      // Never create a store here: a repository without runs has none yet, and that is fine.
      if (!existsSync(file)) return { name: 'store', status: 'ok', detail: `no store yet (${file} is created by the first run)` };
      let db: DatabaseSync | undefined;
      try {
        db = new DatabaseSync(file, { readOnly: true });
        db.exec('PRAGMA busy_timeout = 5000');
        const check = db.prepare('PRAGMA quick_check').get() as { quick_check?: string } | undefined;
        if (check?.quick_check !== 'ok') return { name: 'store', status: 'fail', detail: `${file}: integrity check says ${check?.quick_check ?? 'nothing'}`, fix: 'copy the file aside and start new runs; the runs in it may not resume' };
        const runs = (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
        const mode = (db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode;
        return { name: 'store', status: 'ok', detail: `${file}: ${runs} run(s), journal ${mode}` };
      } catch (error) {
        return { name: 'store', status: 'fail', detail: `${file} cannot be read: ${(error as Error).message}`, fix: 'check the file permissions; if it is not a baton store, move it aside' };
      } finally {
        db?.close();
      }
    },
  };
}
