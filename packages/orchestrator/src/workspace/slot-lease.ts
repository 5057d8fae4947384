// Who uses a warm worktree right now, across processes: a lease is a listening socket in
// Linux's abstract namespace, named after the repository and the slot. Binding the name is
// atomic (a second process gets EADDRINUSE), and the kernel releases it when the holder exits,
// however it dies (SIGKILL included), so a lease can never go stale and no process ever has
// to decide whether another one is dead. Abstract names are per network namespace: baton
// processes sharing a repository must share one (they do on one machine, outside containers).
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:net';

export interface SlotLease {
  readonly name: string;
  release(): Promise<void>;
}

/** The abstract socket name of a slot: short enough for sun_path (108 bytes) whatever the path. */
export function leaseName(commonDir: string, slot: string): string {
  const repo = createHash('sha256').update(commonDir).digest('hex').slice(0, 32);
  return `baton-warm/${repo}/${slot}`;
}

/** Takes the lease, or resolves undefined when another live process (or this one) holds it. */
export function tryLease(name: string): Promise<SlotLease | undefined> {
  return new Promise((resolve, reject) => {
    const server: Server = createServer((socket) => socket.destroy());
    const onError = (error: NodeJS.ErrnoException) => {
      server.close();
      if (error.code === 'EADDRINUSE') resolve(undefined);
      else reject(new Error(`could not take the lease ${name} (${error.code ?? error.message}); warm workspaces need Linux abstract sockets`));
    };
    server.once('error', onError);
    server.listen({ path: `\0${name}` }, () => {
      server.off('error', onError);
      // A lease must not keep baton alive once its work is done.
      server.unref();
      let released: Promise<void> | undefined;
      resolve({
        name,
        release: () => (released ??= new Promise<void>((done) => server.close(() => done()))),
      });
    });
  });
}
