// Language servers run in the sandbox test commands run in (run-tests/sandbox.ts: bubblewrap, no
// network, read-only outside the workspace, own PID namespace, gone with baton), with the
// workspace read-only too and narrowed to the view of workspace-view.ts: hidden files are shown
// empty, hidden directories empty, and the server's own packages read-only over any hiding.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sandboxedArgv } from '../run-tests/sandbox.ts';
import type { ServerLaunchRequest, ServerLauncher, ServerProcess } from './server-process.ts';
import { spawnServer } from './spawn-server.ts';
import type { WorkspaceView } from './workspace-view.ts';

/** Host directories a sandbox always shows; an outside symlink target below them is not hidden. */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/proc', '/dev', '/sys'];

export function sandboxedLauncher(bwrap: string): ServerLauncher {
  return {
    sandboxed: true,
    launch(request: ServerLaunchRequest): ServerProcess {
      const argv = sandboxedArgv(bwrap, { workspace: request.view.root, tmpDir: request.tmpDir, cwd: request.view.root, argv: request.argv });
      // Mounts apply in order: the view goes after the sandbox's own binds, before --chdir.
      const at = argv.indexOf('--chdir');
      argv.splice(at, 0, ...viewArgs(request));
      return spawnServer({ argv, env: request.env, cwd: request.view.root });
    },
  };
}

/** bwrap arguments that narrow the workspace to the view and keep the server's own files visible. */
export function viewArgs(request: Pick<ServerLaunchRequest, 'view' | 'readOnlyPaths' | 'tmpDir'>): string[] {
  const { view } = request;
  const emptyDir = path.join(request.tmpDir, '.baton-empty-dir');
  const emptyFile = path.join(request.tmpDir, '.baton-empty-file');
  mkdirSync(emptyDir, { recursive: true, mode: 0o555 });
  writeFileSync(emptyFile, '', { mode: 0o444 });
  const keep = [view.root, request.tmpDir, ...SYSTEM_DIRS, ...request.readOnlyPaths];
  const args = ['--ro-bind', view.root, view.root];
  for (const dir of view.hiddenDirs) args.push('--ro-bind', emptyDir, dir);
  for (const file of view.hiddenFiles) args.push('--ro-bind', emptyFile, file);
  for (const target of view.outsideTargets) {
    // Hiding a directory that holds (or lies in) what the server needs would break the server, not protect anything.
    if (keep.some((p) => isWithin(target.path, p) || isWithin(p, target.path))) continue;
    args.push('--ro-bind', target.kind === 'dir' ? emptyDir : emptyFile, target.path);
  }
  for (const p of request.readOnlyPaths) args.push('--ro-bind', p, p);
  return args;
}

function isWithin(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}
