#!/usr/bin/env node
// baton: the orchestrator CLI. Needs Node >= 22.18 (TypeScript runs natively).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`baton needs Node >= 22.18 (24 LTS recommended); this is ${process.version}.\n`);
  process.exit(1);
}
await import('../src/cli/main.ts');
