// Starts language servers without a sandbox, for hosts where bubblewrap cannot run and the
// operator allowed it. The server then sees the whole workspace and the network; the pool uses
// this launcher only for sessions that may read the whole workspace anyway.
import { testEnvironment } from '../run-tests/child-env.ts';
import type { ServerLaunchRequest, ServerLauncher, ServerProcess } from './server-process.ts';
import { spawnServer } from './spawn-server.ts';

export function directLauncher(): ServerLauncher {
  return {
    sandboxed: false,
    launch(request: ServerLaunchRequest): ServerProcess {
      const env = testEnvironment({ workspace: request.tmpDir, tmpDir: request.tmpDir, allow: request.envAllow });
      return spawnServer({ argv: request.argv, env, cwd: request.view.root });
    },
  };
}
