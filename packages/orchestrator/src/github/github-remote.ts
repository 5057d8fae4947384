// Which GitHub a remote points at: owner and name from its URL (https, ssh or scp-like), and
// the REST API root of that host (api.github.com for github.com, /api/v3 on GitHub Enterprise
// Server), unless the user names them.
import { UsageError } from '@baton/mcp-tools';

export interface RepoRef {
  owner: string;
  name: string;
}

export interface RemoteTarget {
  /** Host of the remote URL (e.g. github.com), when the URL has one. */
  host?: string;
  repo?: RepoRef;
  /** How git reaches the remote: 'https' gets the token as an HTTP header; others use their own credentials. */
  transport: 'https' | 'http' | 'ssh' | 'file' | 'other';
}

/** GitHub owners and repository names: letters, digits, '-', '_' and '.', never only dots. */
const SEGMENT = /^(?!\.+$)[A-Za-z0-9_.-]+$/;

export function parseRepoRef(text: string): RepoRef {
  const [owner, name, ...rest] = text.split('/');
  if (!owner || !name || rest.length > 0 || !SEGMENT.test(owner) || !SEGMENT.test(name)) {
    throw new UsageError(`"${text}" is not a GitHub repository; write it as owner/name`);
  }
  return { owner, name: name.replace(/\.git$/, '') };
}

function repoFromPath(pathname: string): RepoRef | undefined {
  const parts = pathname.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '').split('/');
  if (parts.length !== 2 || !parts.every((p) => SEGMENT.test(p))) return undefined;
  return { owner: parts[0]!, name: parts[1]! };
}

/** Reads a git remote URL; never throws (an unknown form just has no repo). */
export function parseRemoteUrl(url: string): RemoteTarget {
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(url);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    const repo = repoFromPath(scp[2]!);
    return { host: scp[1]!.toLowerCase(), transport: 'ssh', ...(repo ? { repo } : {}) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { transport: url.startsWith('/') || url.startsWith('.') ? 'file' : 'other' };
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  const transport = scheme === 'https' ? 'https' : scheme === 'http' ? 'http' : scheme === 'ssh' || scheme === 'git+ssh' ? 'ssh' : scheme === 'file' ? 'file' : 'other';
  if (transport === 'file') return { transport };
  const repo = repoFromPath(decodeURIComponent(parsed.pathname));
  return { host: parsed.host.toLowerCase(), transport, ...(repo ? { repo } : {}) };
}

/** The REST API root for a GitHub host: api.github.com for github.com, https://HOST/api/v3 for GitHub Enterprise Server. */
export function apiUrlForHost(host: string): string {
  return host === 'github.com' || host === 'www.github.com' ? 'https://api.github.com' : `https://${host}/api/v3`;
}

/** The web host behind an API root (what `gh auth token --hostname` expects). */
export function hostOfApiUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  return url.host === 'api.github.com' ? 'github.com' : url.host;
}

/** Where git reaches the repositories of the GitHub an API root belongs to (scheme://host[:port]). */
export function webOriginOfApiUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.host === 'api.github.com') return 'https://github.com';
  return `${url.protocol}//${url.host}`;
}
