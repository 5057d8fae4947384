import { describe, expect, it } from 'vitest';
import { layoutTaskGraph, NODE_WIDTH } from './graph-layout.ts';

describe('layoutTaskGraph', () => {
  const layout = layoutTaskGraph([
    { id: 'analyse', phase: 1, dependsOn: [] },
    { id: 'api', phase: 1, dependsOn: ['analyse'] },
    { id: 'cli', phase: 1, dependsOn: ['analyse'] },
    { id: 'docs', phase: 2, dependsOn: ['api', 'cli'] },
  ]);
  const node = (id: string) => layout.nodes.find((n) => n.id === id)!;

  it('puts dependents right of their dependencies, and later phases right of earlier ones', () => {
    expect(node('api').x).toBeGreaterThan(node('analyse').x);
    expect(node('cli').x).toBe(node('api').x);
    expect(node('cli').y).toBeGreaterThan(node('api').y);
    expect(node('docs').x).toBeGreaterThan(node('cli').x + NODE_WIDTH);
    expect(layout.phases.map((p) => p.phase)).toEqual([1, 2]);
    expect(layout.phases[1]!.x).toBe(node('docs').x);
  });

  it('draws one edge per dependency, from the right edge of the dependency to the left edge of the task', () => {
    expect(layout.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['analyse->api', 'analyse->cli', 'api->docs', 'cli->docs']);
    const edge = layout.edges[0]!;
    expect(edge.path.startsWith(`M ${node('analyse').x + NODE_WIDTH} `)).toBe(true);
    expect(edge.path.endsWith(`${node('api').x} ${node('api').y + node('api').height / 2}`)).toBe(true);
  });

  it('fits every node inside the drawing', () => {
    for (const n of layout.nodes) {
      expect(n.x + n.width).toBeLessThanOrEqual(layout.width);
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height);
    }
  });

  it('survives a cycle and unknown dependencies', () => {
    const odd = layoutTaskGraph([
      { id: 'a', phase: 1, dependsOn: ['b', 'ghost'] },
      { id: 'b', phase: 1, dependsOn: ['a'] },
    ]);
    expect(odd.nodes).toHaveLength(2);
    expect(odd.edges).toHaveLength(2);
  });
});
