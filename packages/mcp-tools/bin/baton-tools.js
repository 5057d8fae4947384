#!/usr/bin/env node
// baton-tools: scoped MCP tools over stdio. Needs Node >= 22.18 (TypeScript runs natively).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`baton-tools needs Node >= 22.18 (24 LTS recommended); this is ${process.version}.\n`);
  process.exit(1);
}
await import('../src/cli/main.ts');
