// Opening the store while another connection holds a lock (a reader such as `baton status` or
// the dashboard, or a second baton starting) must wait for it, never fail with "database is
// locked": the busy timeout is set before anything else touches the file.
import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;

beforeEach(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'baton-store-busy-')));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('opening the store', () => {
  it('waits for a lock another connection holds while it switches to WAL, instead of dying', async () => {
    const file = path.join(dir, 'state.db');
    // A connection that got there first, in SQLite's default rollback mode, in the middle of a read.
    const reader = new DatabaseSync(file);
    reader.exec('CREATE TABLE early (x INTEGER); BEGIN; SELECT * FROM early;');
    const child = spawn(process.execPath, [path.join(here, 'open-store-child.ts'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const opening = new Promise<void>((resolve) => child.stdout.on('data', (c: Buffer) => ((out += c.toString()), out.includes('opening') && resolve())));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await opening;
    // The reader finishes its read a little later, as a human's `baton status` would.
    await new Promise((resolve) => setTimeout(resolve, 300));
    reader.exec('COMMIT');
    reader.close();
    expect(await exited, err).toBe(0);
    expect(out).toContain('opened');
  });
});
