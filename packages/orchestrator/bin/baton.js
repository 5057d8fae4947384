#!/usr/bin/env node
// baton: the orchestrator CLI.
// One launcher for both layouts, running in this process (no child): in a checkout of the
// repository it runs the TypeScript sources, in an installed package (which ships no sources) the
// built JavaScript in dist/. Either needs Node >= 22.18: node:sqlite, and Node stripping the types
// of the TypeScript that baton demo's example service tests with.
// Plain JavaScript that old Node versions can parse, so they get the message below.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`baton needs Node >= 22.18 (24 LTS recommended); this is ${process.version}. Install Node 24 LTS and run it again.\n`);
  process.exit(1);
}
if (process.platform !== 'linux') {
  process.stderr.write(`baton's tools confine every file access through Linux's /proc/self/fd, so baton does not run on ${process.platform}; run it on Linux (WSL 2 and Linux containers work).\n`);
  process.exit(1);
}
const fromSources = existsSync(sources);
if (!fromSources) process.setSourceMapsEnabled(true); // stack traces name lines of the TypeScript sources (inlined in the maps)
await import(fromSources ? sources.href : new URL('../dist/cli/main.js', import.meta.url).href);
