// Starts an installed `baton ui`, fetches the dashboard's page and every file it loads, stops it.
import { spawn } from 'node:child_process';

/** Modules the dashboard's page loads: its stylesheet, its script and every module that script imports. */
async function fetchDashboard(origin, token) {
  const headers = { Authorization: `Bearer ${token}` };
  const fetched = [];
  const get = async (pathname) => {
    const response = await fetch(new URL(pathname, origin), { headers });
    const body = await response.text();
    if (response.status !== 200 || body.length === 0) throw new Error(`GET ${pathname} answered ${response.status} with ${body.length} bytes: ${body.slice(0, 200)}`);
    fetched.push(pathname);
    return body;
  };
  const page = await get('/');
  const queue = [...page.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const seen = new Set(queue);
  while (queue.length > 0) {
    const pathname = queue.shift();
    const body = await get(pathname);
    if (!pathname.endsWith('.js')) continue;
    for (const match of body.matchAll(/(?:from|import)\s*\(?\s*['"]\.\/([^'"]+\.js)['"]/g)) {
      const next = `/${match[1]}`;
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return fetched;
}

/** Starts `baton ui`, fetches the dashboard, stops it. */
export async function checkDashboard({ baton, repo, env, cwd }) {
  const child = spawn(baton, ['ui', '--repo', repo, '--port', '0'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const closed = new Promise((resolve) => child.on('close', resolve));
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`baton ui printed no URL within 60 s:\n${stdout}${stderr}`)), 60_000);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = /open: (http:\/\/\S+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(new URL(match[1]));
        }
      });
      child.on('close', (code) => reject(new Error(`baton ui exited (${code}) before printing its URL:\n${stdout}${stderr}`)));
    });
    return await fetchDashboard(url.origin, url.searchParams.get('token') ?? '');
  } finally {
    child.kill('SIGTERM');
    await closed;
  }
}
