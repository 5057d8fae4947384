// Language servers run in the sandbox test commands run in (run-tests/sandbox.ts and
// sandbox-view.ts: a view of the machine built from nothing — system directories, the server's
// own toolchain and packages, a private /tmp — no network, and namespaces of their own), with two
// differences. The workspace is read-only and narrowed to the view of workspace-view.ts (files
// outside the read scope shown empty, directories holding nothing readable shown empty, .git
// hidden). And the server itself is PID 1 of its PID namespace, with stdin as its LSP channel
// instead of the test init's lifeline: a server ends when its stdin closes (when baton closes it or
// dies), and when PID 1 ends the kernel ends everything else in the sandbox.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testEnvironment } from '../run-tests/child-env.ts';
import { ISOLATION, NO_NETWORK } from '../run-tests/sandbox.ts';
import { sandboxViewArgs } from '../run-tests/sandbox-view.ts';
import type { ServerLaunchRequest, ServerLauncher, ServerProcess } from './server-process.ts';
import { spawnServer } from './spawn-server.ts';

/** Where the private directory appears inside the sandbox. */
const SANDBOX_TMP = '/tmp';

export function sandboxedLauncher(bwrap: string): ServerLauncher {
  return {
    sandboxed: true,
    launch(request: ServerLaunchRequest): ServerProcess {
      const env = testEnvironment({ workspace: SANDBOX_TMP, tmpDir: SANDBOX_TMP, allow: request.envAllow });
      const root = request.view.root;
      const base = sandboxViewArgs({
        workspace: root,
        tmpDir: request.tmpDir,
        commandArgv: request.argv,
        cwd: root,
        pathEnv: env['PATH'] ?? '',
        extraReadOnly: request.readOnlyPaths,
        nodeExecPath: process.execPath,
      });
      const argv = [
        bwrap,
        ...base,
        ...workspaceViewArgs(request),
        ...ISOLATION,
        ...NO_NETWORK,
        '--clearenv',
        ...Object.entries(env).flatMap(([name, value]) => ['--setenv', name, value]),
        '--chdir', root,
        '--',
        ...request.argv,
      ];
      return spawnServer({ argv, env: {}, cwd: root });
    },
  };
}

/** bwrap arguments, after the base view, that make the workspace read-only and hide what the scope does not read. */
export function workspaceViewArgs(request: Pick<ServerLaunchRequest, 'view' | 'tmpDir'>): string[] {
  const { view } = request;
  const emptyDir = path.join(request.tmpDir, '.baton-empty-dir');
  const emptyFile = path.join(request.tmpDir, '.baton-empty-file');
  mkdirSync(emptyDir, { recursive: true, mode: 0o555 });
  writeFileSync(emptyFile, '', { mode: 0o444 });
  const args = ['--remount-ro', view.root];
  for (const dir of view.hiddenDirs) args.push('--ro-bind', emptyDir, dir);
  for (const file of view.hiddenFiles) args.push('--ro-bind', emptyFile, file);
  return args;
}
