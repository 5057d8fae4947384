// `git worktree` commands of one repository, one at a time. Two `git worktree add` running
// together read each other's half-written administrative directories and fail ("failed to
// read .git/worktrees/<name>/commondir"); every worktree change baton makes in this process
// goes through this queue. (Separate baton processes driving different runs are not
// serialized with each other; each only touches its own run's worktrees.)
const queues = new Map<string, Promise<unknown>>();

export function serializeWorktreeOps<T>(commonDir: string, operation: () => Promise<T>): Promise<T> {
  const previous = queues.get(commonDir) ?? Promise.resolve();
  const next = previous.then(operation, operation);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  queues.set(commonDir, settled);
  void settled.then(() => {
    if (queues.get(commonDir) === settled) queues.delete(commonDir);
  });
  return next;
}
