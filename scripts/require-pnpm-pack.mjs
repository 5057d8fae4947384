#!/usr/bin/env node
// prepack of each package: refuses `npm pack` and `npm publish` in a package folder. npm ignores
// publishConfig, so its tarball would keep the exports that point at the TypeScript sources (which
// are not shipped) and `workspace:*` dependencies. scripts/pack-packages.mjs packs with pnpm.
const agent = process.env.npm_config_user_agent ?? '';
if (!agent.startsWith('pnpm/')) {
  process.stderr.write(
    'Pack baton packages with pnpm, not npm: npm ignores publishConfig and would ship exports that point at sources left out of the tarball.\n' +
      'Run node scripts/pack-packages.mjs --out DIR (or scripts/release.mjs), then npm publish DIR/<tarball>.\n',
  );
  process.exit(1);
}
