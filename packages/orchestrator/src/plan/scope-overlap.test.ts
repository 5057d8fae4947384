import { describe, expect, it } from 'vitest';
import { expandBraces, globsOverlap, scopesOverlap, segmentsOverlap } from './scope-overlap.ts';

describe('globsOverlap', () => {
  it.each([
    ['src/a/**', 'src/b/**', false],
    ['src/**', 'src/a/x.ts', true],
    ['src/a/x.ts', 'src/a/x.ts', true],
    ['src/a/x.ts', 'src/a/y.ts', false],
    ['**/*.ts', 'docs/**/*.md', false],
    ['**/*.ts', 'docs/**', true],
    ['src/*.ts', 'src/index.ts', true],
    ['src/*.ts', 'src/sub/index.ts', false],
    ['src/*.ts', 'src/*.md', false],
    ['src/api-*.ts', 'src/db-*.ts', false],
    ['src/api-*', 'src/api-v2*', true],
    ['**', '.github/workflows/ci.yml', true],
    ['src/', 'src/deep/file.ts', true],
    ['./src/a/**', 'src/a/x.ts', true],
    ['src/{a,b}/**', 'src/c/**', false],
    ['src/{a,b}/**', 'src/b/x.ts', true],
    ['src/[ab]/**', 'src/c/**', false],
    ['src/[ab]*/**', 'src/c*/**', true],
    ['db/migrations/**', 'db/schema.sql', false],
    ['a/**/z', 'a/b/c/z', true],
    ['a/**/z', 'a/b/c/y', false],
  ])('%s vs %s -> %s', (a, b, expected) => {
    expect(globsOverlap(a, b)).toBe(expected);
    expect(globsOverlap(b, a)).toBe(expected);
  });

  it('treats negations as overlapping everything (conservative)', () => {
    expect(globsOverlap('!src/**', 'docs/x.md')).toBe(true);
  });

  it('names the overlapping pair of two scopes', () => {
    expect(scopesOverlap(['docs/**', 'src/api/**'], ['test/**', 'src/api/routes.ts'])).toEqual({ a: 'src/api/**', b: 'src/api/routes.ts' });
    expect(scopesOverlap(['docs/**'], ['src/**'])).toBeUndefined();
    expect(scopesOverlap([], ['**'])).toBeUndefined();
  });
});

describe('helpers', () => {
  it('expands simple braces and leaves ranges alone', () => {
    expect(expandBraces('src/{a,b}/{x,y}.ts')).toEqual(['src/a/x.ts', 'src/a/y.ts', 'src/b/x.ts', 'src/b/y.ts']);
    expect(expandBraces('f{1..3}')).toEqual(['f{1..3}']);
  });
  it('compares wildcard segments by their literal ends', () => {
    expect(segmentsOverlap('*.test.ts', '*.ts')).toBe(true);
    expect(segmentsOverlap('a?c', 'abc')).toBe(true);
    expect(segmentsOverlap('x*', 'y*')).toBe(false);
  });
});
