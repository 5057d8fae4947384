// Test helpers for crash tests of baton (not part of the product): freezing a git command in
// the middle of what it does.
export { makeGitPause, realGit, waitForFile } from './testing/git-pause.ts';
export type { GitPause, GitPauseMatch } from './testing/git-pause.ts';
