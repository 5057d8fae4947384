// Warm worktrees: checkouts kept under `<git common dir>/baton/warm/<n>-warm` between tasks and
// runs, so a task's workspace costs what differs between two commits, not the whole tree. A slot
// is used by one holder at a time (a lease, slot-lease.ts). Giving one back restores the tracked
// files (`git checkout --force --detach`), deletes everything untracked or ignored (`git clean
// -ffdx`) and git's per-worktree state (reflog, ORIG_HEAD, merge and cherry-pick state,
// per-worktree refs and config, stale locks), so an idle slot holds nothing of the task that
// used it: HEAD detached at a commit baton keeps anyway, no untracked or ignored file, no state.
// Taking it again is one `git checkout --force` to the task's branch or commit, which rewrites
// only the files that differ.
// A `<slot>.dirty` file exists from the moment a slot is taken until it is clean again: a process
// killed in between leaves it, and the next repair (or the next taker) cleans that slot, or
// deletes it when it is no longer a sound worktree. A slot that fails to clean is deleted, never
// handed out.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git, gitOut } from '../git/run-git.ts';
import { warmWorktreesDir } from './baton-paths.ts';
import { leaseName, tryLease, type SlotLease } from './slot-lease.ts';
import { removeWorktreeFiles } from './worktree-admin.ts';
import { serializeWorktreeOps } from './worktree-queue.ts';
import type { WorktreeStart } from './worktree-start.ts';

/** How many slots baton looks at before it gives up finding a free one. */
const MAX_SLOTS = 128;
/** With `warm: "auto"`, below this many files a fresh worktree takes under a second (bench/workspace) and leaves nothing behind. */
export const WARM_AUTO_MIN_FILES = 1_000;
/** git's files in a worktree's administrative directory that a clean slot keeps; all else goes. */
const ADMIN_KEEP = new Set(['HEAD', 'commondir', 'gitdir', 'index']);
const SLOT_NAME = /^(\d+)-warm$/;
const TRASH_PREFIX = '.trash-';

export interface WarmPolicy {
  use: 'auto' | boolean;
  /** Most slots kept once given back; more are deleted. */
  keep: number;
}

interface HeldSlot {
  repo: string;
  commonDir: string;
  dir: string;
  runId: string;
  keep: number;
  lease: SlotLease;
}

/** Slots this process holds, by directory. */
const held = new Map<string, HeldSlot>();

export function isWarmSlotDir(commonDir: string, dir: string): boolean {
  return path.dirname(dir) === warmWorktreesDir(commonDir) && SLOT_NAME.test(path.basename(dir));
}

/** Whether a checkout of this repository should come from the warm slots. */
export function warmWanted(commonDir: string, policy: WarmPolicy): boolean {
  if (policy.use !== 'auto') return policy.use;
  return indexEntryCount(path.join(commonDir, 'index')) >= WARM_AUTO_MIN_FILES;
}

/** Files in the main checkout's index, from its header (0 when it cannot be read). */
function indexEntryCount(file: string): number {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const header = Buffer.alloc(12);
    if (readSync(fd, header, 0, 12, 0) < 12 || header.toString('latin1', 0, 4) !== 'DIRC') return 0;
    return header.readUInt32BE(8);
  } catch {
    return 0;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A warm slot at `start`, held by this process until releaseWarmSlot: an idle slot when one is
 * free (only the files that differ are written), else a new one (a full checkout, made outside
 * the worktree queue so that several can be made at once).
 */
export async function acquireWarmSlot(input: { repo: string; commonDir: string; runId: string; leaf: string; start: WorktreeStart; keep: number }): Promise<string> {
  const { repo, commonDir } = input;
  const base = warmWorktreesDir(commonDir);
  mkdirSync(base, { recursive: true });
  const { slot, lease } = await leaseFreeSlot(commonDir, base);
  const dir = path.join(base, slot);
  // Given back clean, a slot has no untracked file; left dirty by a killed process, it may.
  const leftDirty = existsSync(dirtyMarker(dir));
  try {
    writeFileSync(dirtyMarker(dir), `${JSON.stringify({ runId: input.runId, leaf: input.leaf, pid: process.pid, at: new Date().toISOString() })}\n`);
    const admin = slotAdminDir(commonDir, dir);
    let ready = false;
    if (admin !== undefined) {
      try {
        await checkOut({ dir, admin, start: input.start, clean: leftDirty });
        ready = true;
      } catch {
        // Something in the slot resists (a file git cannot replace): a new one is made instead.
      }
    }
    if (!ready) {
      await discardSlot(commonDir, dir, { keepMarker: true });
      await createSlot({ repo, commonDir, dir, start: input.start });
    }
  } catch (error) {
    await lease.release();
    throw error;
  }
  held.set(dir, { repo, commonDir, dir, runId: input.runId, keep: input.keep, lease });
  return dir;
}

/** Gives a slot back clean (or deletes it when more than `keep` slots exist, or it cannot be cleaned). */
export async function releaseWarmSlot(dir: string): Promise<void> {
  const slot = held.get(dir);
  if (!slot) return;
  try {
    try {
      await scrubSlot(slot.repo, slot.commonDir, dir);
      if (slotNumbers(path.dirname(dir)).length > slot.keep) await discardSlot(slot.commonDir, dir);
    } catch {
      await discardSlot(slot.commonDir, dir);
    }
  } finally {
    held.delete(dir);
    await slot.lease.release();
  }
}

/** Gives back every slot this process holds for a run. */
export async function releaseRunSlots(runId: string): Promise<string[]> {
  const dirs = [...held.values()].filter((slot) => slot.runId === runId).map((slot) => slot.dir);
  for (const dir of dirs) await releaseWarmSlot(dir);
  return dirs;
}

/**
 * Cleans every slot a killed process left dirty (taken, half-made or half-cleaned) that no live
 * process holds, deleting those that are no longer sound worktrees. Returns what it cleaned.
 */
export async function repairWarmSlots(input: { repo: string; commonDir: string }): Promise<string[]> {
  const { repo, commonDir } = input;
  const base = warmWorktreesDir(commonDir);
  if (!existsSync(base)) return [];
  for (const name of readdirSync(base)) if (name.startsWith(TRASH_PREFIX)) rmSync(path.join(base, name), { recursive: true, force: true });
  const repaired: string[] = [];
  for (const n of slotNumbers(base)) {
    const dir = path.join(base, `${n}-warm`);
    if (held.has(dir) || !needsRepair(commonDir, dir)) continue;
    const lease = await tryLease(leaseName(commonDir, path.basename(dir)));
    if (!lease) continue;
    try {
      if (slotAdminDir(commonDir, dir) === undefined) await discardSlot(commonDir, dir);
      else await scrubSlot(repo, commonDir, dir).catch(() => discardSlot(commonDir, dir));
      repaired.push(dir);
    } finally {
      await lease.release();
    }
  }
  return repaired;
}

export interface WarmSlotInfo {
  dir: string;
  /** Held by a live process (this one included) right now. */
  inUse: boolean;
  /** Left mid-way by a killed process: cleaned by the next run or resume, or as it is taken. */
  dirty: boolean;
}

/** The warm slots of a repository and what state each is in. */
export async function listWarmSlots(input: { commonDir: string }): Promise<WarmSlotInfo[]> {
  const base = warmWorktreesDir(input.commonDir);
  const slots: WarmSlotInfo[] = [];
  for (const n of slotNumbers(base)) {
    const dir = path.join(base, `${n}-warm`);
    let inUse = held.has(dir);
    if (!inUse) {
      const lease = await tryLease(leaseName(input.commonDir, path.basename(dir)));
      if (lease) await lease.release();
      else inUse = true;
    }
    slots.push({ dir, inUse, dirty: needsRepair(input.commonDir, dir) });
  }
  return slots;
}

/** Deletes every slot no live process holds (and git's entries for them). Returns what it deleted. */
export async function removeWarmSlots(input: { commonDir: string }): Promise<string[]> {
  const { commonDir } = input;
  const base = warmWorktreesDir(commonDir);
  if (!existsSync(base)) return [];
  const removed: string[] = [];
  for (const n of slotNumbers(base)) {
    const dir = path.join(base, `${n}-warm`);
    if (held.has(dir)) continue;
    const lease = await tryLease(leaseName(commonDir, path.basename(dir)));
    if (!lease) continue;
    try {
      await discardSlot(commonDir, dir);
      removed.push(dir);
    } finally {
      await lease.release();
    }
  }
  for (const name of readdirSync(base)) if (name.startsWith(TRASH_PREFIX)) rmSync(path.join(base, name), { recursive: true, force: true });
  try {
    if (readdirSync(base).length === 0) rmSync(base, { recursive: true });
  } catch {
    // Someone made a slot meanwhile.
  }
  return removed;
}

function dirtyMarker(dir: string): string {
  return `${dir}.dirty`;
}

function needsRepair(commonDir: string, dir: string): boolean {
  return existsSync(dirtyMarker(dir)) || slotAdminDir(commonDir, dir) === undefined;
}

/** Slot numbers that exist as a directory or a dirty marker, lowest first. */
function slotNumbers(base: string): number[] {
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return [];
  }
  const numbers = new Set<number>();
  for (const name of names) {
    const match = SLOT_NAME.exec(name.endsWith('.dirty') ? name.slice(0, -'.dirty'.length) : name);
    if (match) numbers.add(Number(match[1]));
  }
  return [...numbers].sort((a, b) => a - b);
}

/** Leases an existing slot if one is free, else the lowest number no slot uses yet. */
async function leaseFreeSlot(commonDir: string, base: string): Promise<{ slot: string; lease: SlotLease }> {
  const existing = slotNumbers(base);
  const candidates = [...existing];
  for (let n = 1; candidates.length < existing.length + MAX_SLOTS; n++) if (!existing.includes(n)) candidates.push(n);
  for (const n of candidates) {
    const slot = `${n}-warm`;
    if (held.has(path.join(base, slot))) continue;
    const lease = await tryLease(leaseName(commonDir, slot));
    if (lease) return { slot, lease };
  }
  throw new Error(`no free warm worktree slot among ${candidates.length} under ${base}; set "workspace": {"warm": false} in baton.config.json to use fresh worktrees`);
}

/**
 * The administrative directory of a sound slot: its `.git` file names an entry under
 * `<common>/worktrees/` whose `gitdir` names this slot back, with HEAD and commondir present.
 */
function slotAdminDir(commonDir: string, dir: string): string | undefined {
  try {
    const dotGit = path.join(dir, '.git');
    if (!statSync(dotGit).isFile()) return undefined;
    const pointer = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    if (!pointer) return undefined;
    const admin = realpathSync(path.resolve(dir, pointer));
    if (path.dirname(admin) !== realpathSync(path.join(commonDir, 'worktrees'))) return undefined;
    const back = readFileSync(path.join(admin, 'gitdir'), 'utf8').trim();
    if (realpathSync(path.resolve(admin, back)) !== realpathSync(dotGit)) return undefined;
    if (!existsSync(path.join(admin, 'HEAD')) || !existsSync(path.join(admin, 'commondir'))) return undefined;
    return admin;
  } catch {
    return undefined;
  }
}

/** Deletes git's per-worktree state but HEAD, the index and the links to the repository: locks a killed git left included. */
function scrubAdmin(admin: string): void {
  for (const name of readdirSync(admin)) if (!ADMIN_KEEP.has(name)) rmSync(path.join(admin, name), { recursive: true, force: true });
}

/**
 * Moves a sound slot to `start` with one `git checkout --force`: the files git sees differ from
 * the target (by the index's stat data) are rewritten, the rest stay. `clean`: also delete
 * untracked and ignored files (a slot given back clean has none; one a killed process left may).
 */
async function checkOut(input: { dir: string; admin: string; start: WorktreeStart; clean: boolean }): Promise<void> {
  const { dir, admin, start } = input;
  scrubAdmin(admin);
  const target =
    start.kind === 'detached'
      ? ['--detach', start.commit]
      : start.kind === 'reset-branch'
        ? ['--ignore-other-worktrees', '-B', start.branch, start.commit]
        : ['--ignore-other-worktrees', start.branch];
  await git(['checkout', '--quiet', '--force', '--no-recurse-submodules', ...target, '--'], { cwd: dir });
  if (input.clean) await git(['clean', '-ffdxq'], { cwd: dir });
  scrubAdmin(admin);
}

/** A new slot: git's entry made in the worktree queue without a checkout, then the checkout outside it. */
async function createSlot(input: { repo: string; commonDir: string; dir: string; start: WorktreeStart }): Promise<void> {
  const { repo, commonDir, dir, start } = input;
  const commitish = start.kind === 'branch' ? `refs/heads/${start.branch}` : start.commit;
  await serializeWorktreeOps(commonDir, async () => {
    try {
      await git(['worktree', 'add', '--detach', '--no-checkout', '--force', '--quiet', dir, commitish], { cwd: repo });
    } catch (error) {
      removeWorktreeFiles(commonDir, [dir], dir);
      throw error;
    }
  });
  const admin = slotAdminDir(commonDir, dir);
  if (admin === undefined) throw new Error(`git worktree add made no usable worktree at ${dir}`);
  await checkOut({ dir, admin, start, clean: false });
}

/** Cleans a slot in place and detaches its HEAD, so it holds nothing of whoever used it; clears its dirty marker. */
async function scrubSlot(repo: string, commonDir: string, dir: string): Promise<void> {
  const admin = slotAdminDir(commonDir, dir);
  if (admin === undefined) throw new Error(`${dir} is not a sound worktree`);
  scrubAdmin(admin);
  const detached = await git(['checkout', '--quiet', '--force', '--no-recurse-submodules', '--detach', '--'], { cwd: dir, allowFailure: true });
  if (detached.exitCode !== 0) {
    // A HEAD whose branch was deleted meanwhile (a killed run's task branch) rests on the repository's HEAD.
    const commit = await gitOut(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: repo });
    await git(['checkout', '--quiet', '--force', '--no-recurse-submodules', '--detach', commit, '--'], { cwd: dir });
  }
  await git(['clean', '-ffdxq'], { cwd: dir });
  scrubAdmin(admin);
  rmSync(dirtyMarker(dir), { force: true });
}

/**
 * Deletes a slot and git's entries for it (a half-made one too). The directory is renamed aside
 * in the worktree queue and deleted outside it, so a large checkout does not hold up the queue.
 */
async function discardSlot(commonDir: string, dir: string, options: { keepMarker?: boolean } = {}): Promise<void> {
  const base = path.dirname(dir);
  const trash = path.join(base, `${TRASH_PREFIX}${randomBytes(6).toString('hex')}`);
  await serializeWorktreeOps(commonDir, async () => {
    try {
      renameSync(dir, trash);
    } catch {
      // Nothing there.
    }
    // git's entry still names `dir` (slot paths are real paths), or is a half-made one named after it.
    removeWorktreeFiles(commonDir, [dir], dir);
  });
  rmSync(trash, { recursive: true, force: true });
  if (!options.keepMarker) rmSync(dirtyMarker(dir), { force: true });
}
