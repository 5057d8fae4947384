#!/usr/bin/env node
// baton-tools: scoped MCP tools over stdio.
// One launcher for both layouts, running in this process (no child): in a checkout of the
// repository it runs the TypeScript sources, which need Node >= 22.18 to strip their types; in an
// installed package, which ships no sources, it runs the built JavaScript in dist/ (Node >= 20).
// Plain JavaScript that old Node versions can parse, so they get the message below.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
const fromSources = existsSync(sources);
const [needMajor, needMinor] = fromSources ? [22, 18] : [20, 0];
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < needMajor || (major === needMajor && minor < needMinor)) {
  const where = fromSources ? ' from a checkout of its sources' : '';
  process.stderr.write(`baton-tools needs Node >= ${needMajor}.${needMinor}${where}; this is ${process.version}. Install Node 24 LTS (or any Node >= ${needMajor}.${needMinor}) and run it again.\n`);
  process.exit(1);
}
if (process.platform !== 'linux') {
  process.stderr.write(`baton-tools confines every file access through Linux's /proc/self/fd and does not run on ${process.platform}; run it on Linux (WSL 2 and Linux containers work).\n`);
  process.exit(1);
}
if (!fromSources) process.setSourceMapsEnabled(true); // stack traces name lines of the TypeScript sources (inlined in the maps)
await import(fromSources ? sources.href : new URL('../dist/cli/main.js', import.meta.url).href);
