// What of /etc the sandbox hides: every entry that not every user of the machine may read
// (shadow files, ssh host keys, ssl/private, sudoers, database access rules, ...) and any socket
// (a test must not reach a host service). The sandbox shows /etc because toolchains read their
// configuration there; this keeps it to what is public.
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface HiddenEntry {
  path: string;
  kind: 'dir' | 'file';
}

const OTHERS_READ = 0o004;
const OTHERS_EXEC = 0o001;

/** Entries under `root` that others cannot read (directories: read and enter), and sockets; hidden directories are not descended into. */
export function unreadableEntries(root = '/etc'): HiddenEntry[] {
  const hidden: HiddenEntry[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(dir, name);
      let stats;
      try {
        stats = lstatSync(full);
      } catch {
        continue;
      }
      if (stats.isSymbolicLink()) continue; // what it points to is judged where it lives
      if (stats.isDirectory()) {
        if ((stats.mode & (OTHERS_READ | OTHERS_EXEC)) !== (OTHERS_READ | OTHERS_EXEC)) hidden.push({ path: full, kind: 'dir' });
        else walk(full);
      } else if ((stats.mode & OTHERS_READ) === 0 || stats.isSocket()) {
        hidden.push({ path: full, kind: 'file' });
      }
    }
  };
  walk(root);
  return hidden;
}
