#!/usr/bin/env node
// The README's first command: shows `baton --help`, then a read-only smoke run of
// baton-tools over stdio against this repository, through the MCP SDK's client.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const baton = join(root, 'node_modules', '.bin', 'baton');
const batonTools = join(root, 'node_modules', '.bin', 'baton-tools');

const help = spawnSync(baton, ['--help'], { stdio: 'inherit' });
if (help.status !== 0) process.exit(help.status ?? 1);

process.stdout.write('\n== baton-tools smoke run (read-only, stdio MCP) ==\n');
const client = new Client({ name: 'baton-quickstart', version: '0.0.0' });
await client.connect(new StdioClientTransport({ command: batonTools, args: ['--root', root, '--read', '**'], stderr: 'inherit' }));
const { tools } = await client.listTools();
process.stdout.write(`tools/list: ${tools.map((t) => t.name).join(', ')}\n`);
const read = await client.callTool({ name: 'read_file', arguments: { path: 'README.md', end_line: 3 } });
process.stdout.write(`read_file README.md:\n${read.content[0].text}\n`);
const found = await client.callTool({ name: 'search', arguments: { query: 'resolveRequestedPath', glob: '*.ts', max_results: 3 } });
process.stdout.write(`search resolveRequestedPath:\n${found.content[0].text}\n`);
const denied = await client.callTool({ name: 'read_file', arguments: { path: '../etc/passwd' } });
process.stdout.write(`read_file ../etc/passwd -> ${denied.isError ? 'refused' : 'ALLOWED (bug)'}: ${denied.content[0].text}\n`);
await client.close();
process.exit(denied.isError ? 0 : 1);
