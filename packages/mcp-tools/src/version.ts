// The package version, reported to MCP clients and by `--version`: read from package.json, one
// folder up from this module both as a TypeScript source (src/) and built (dist/).
import { readFileSync } from 'node:fs';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
