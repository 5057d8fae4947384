// Starts language servers without a sandbox, for hosts where bubblewrap cannot run and the
// operator allowed it. The server then sees the whole workspace and the network; the pool uses
// this launcher only for sessions that may read the whole workspace anyway.
import type { ServerLaunchRequest, ServerLauncher, ServerProcess } from './server-process.ts';
import { spawnServer } from './spawn-server.ts';

export function directLauncher(): ServerLauncher {
  return {
    sandboxed: false,
    launch(request: ServerLaunchRequest): ServerProcess {
      return spawnServer({ argv: request.argv, env: request.env, cwd: request.view.root });
    },
  };
}
