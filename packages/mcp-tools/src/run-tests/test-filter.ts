// The rule for run_tests' `filter`: one argument appended to the operator's command, which no
// runner may read as anything but a test name or path. Runners disagree on `--` (node and pytest
// end their options there, `cargo test --` hands what follows to the test binary), so instead of
// placing the filter after `--`, a filter that any common parser could take for an option is
// refused: a leading `-` (option), `+` (option in some tools) or `@` (response file: `@args.txt`
// makes javac, dotnet and others read options from a file the worker may have written).

/** Characters a filter may not start with. */
export const FILTER_FORBIDDEN_START = ['-', '+', '@'] as const;

/** Why this filter is refused, or undefined when it is acceptable. */
export function filterProblem(filter: string): string | undefined {
  if (filter.includes('\0')) return 'the filter may not contain NUL bytes';
  const start = filter.trimStart()[0];
  if (start !== undefined && (FILTER_FORBIDDEN_START as readonly string[]).includes(start)) {
    return `the filter may not start with "${start}": a test runner could read it as ${start === '@' ? 'a file of options' : 'an option'}. Pass a test file path or name pattern (write "./-name" for a file whose name starts with "-").`;
  }
  return undefined;
}
