// The open MCP sessions of an HTTP host. Each session is bound to the grant whose token
// opened it; closing by grant is how revocation reaches sessions that are already open.

/** What the table needs from a session: its grant and a way to close it. */
export interface HostedSession {
  readonly id: string;
  readonly grantId: string;
  /** Epoch milliseconds of the last request on the session. */
  lastSeenAt: number;
  close(): Promise<void>;
}

export interface McpSessionTable<S extends HostedSession> {
  readonly size: number;
  add(session: S): void;
  get(id: string): S | undefined;
  /** Forgets the session; called from its transport's onclose. */
  remove(id: string): void;
  /** Closes every session opened with `grantId`; resolves when they are closed. */
  closeGrant(grantId: string): Promise<number>;
  /** Closes sessions idle since before `cutoffMs` or whose grant is no longer active. */
  closeStale(options: { cutoffMs: number; isActive: (grantId: string) => boolean }): Promise<number>;
  closeAll(): Promise<void>;
}

export function createMcpSessionTable<S extends HostedSession>(): McpSessionTable<S> {
  const sessions = new Map<string, S>();

  async function closeWhere(predicate: (session: S) => boolean): Promise<number> {
    const doomed = [...sessions.values()].filter(predicate);
    for (const session of doomed) sessions.delete(session.id);
    await Promise.allSettled(doomed.map((session) => session.close()));
    return doomed.length;
  }

  return {
    get size() {
      return sessions.size;
    },
    add(session) {
      sessions.set(session.id, session);
    },
    get(id) {
      return sessions.get(id);
    },
    remove(id) {
      sessions.delete(id);
    },
    closeGrant(grantId) {
      return closeWhere((session) => session.grantId === grantId);
    },
    closeStale({ cutoffMs, isActive }) {
      return closeWhere((session) => session.lastSeenAt < cutoffMs || !isActive(session.grantId));
    },
    async closeAll() {
      await closeWhere(() => true);
    },
  };
}
