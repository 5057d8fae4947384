import { makeTempRepo } from '@baton/mcp-tools/testing';
import { describe, expect, it } from 'vitest';
import { gatherRepoMetadata, renderRepoMetadata, ticketTerms } from './repo-metadata.ts';

describe('repo metadata for the planner', () => {
  it('collects tree, manifests, README and ticket search hits inside the read scope', async () => {
    const repo = await makeTempRepo({
      'package.json': '{"name":"svc","scripts":{"test":"node --test"}}',
      'README.md': '# svc\nAdmin users live here.\n',
      'src/users/list.ts': 'export function listAdminUsers() {}\n',
      'secrets/prod.env': 'listAdminUsers=leak\n',
    });
    const meta = await gatherRepoMetadata({ root: repo.root, ticket: 'Add CSV export to listAdminUsers', readScope: ['src/**', 'package.json', 'README.md'] });
    expect(meta.tree).toEqual(['README.md', 'package.json', 'src/users/list.ts']);
    expect(meta.manifests.map((m) => m.path)).toEqual(['package.json']);
    expect(meta.readme).toContain('Admin users live here.');
    expect(meta.hits).toContainEqual({ term: 'listAdminUsers', matches: ['src/users/list.ts:1: export function listAdminUsers() {}'] });
    expect(meta.hits.flatMap((h) => h.matches).every((m) => m.startsWith('src/'))).toBe(true);
    expect(renderRepoMetadata(meta)).not.toContain('leak');
    await repo.cleanup();
  });

  it('picks distinctive ticket words', () => {
    expect(ticketTerms('Rename Customer to AccountHolder across the service, preserving behavior')).toEqual(['Rename', 'Customer', 'AccountHolder', 'service']);
  });
});
