// Looks at an installed node_modules tree: which packages would run scripts at install time, and
// how much it weighs.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** package.json files in an installed tree that declare install scripts, or carry a binding.gyp npm would build. */
export function installScripts(nodeModules) {
  const found = [];
  const visit = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        visit(full);
        continue;
      }
      const manifestFile = path.join(full, 'package.json');
      if (existsSync(manifestFile)) {
        const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
        const scripts = ['preinstall', 'install', 'postinstall'].map((s) => manifest.scripts?.[s]).filter(Boolean);
        if (existsSync(path.join(full, 'binding.gyp')) && scripts.length === 0) scripts.push('node-gyp rebuild (binding.gyp)');
        if (scripts.length > 0) found.push({ name: manifest.name, scripts: scripts.join(' && ') });
      }
      visit(path.join(full, 'node_modules'));
    }
  };
  visit(nodeModules);
  return found;
}

export function directoryBytes(dir) {
  let total = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) total += statSync(full).size;
    }
  };
  walk(dir);
  return total;
}
