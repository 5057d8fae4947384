// Errors from talking to GitHub, each saying who is at fault and what to do. The token never
// appears in them: messages are built from the status and GitHub's own message only.
export type GitHubFault = 'user' | 'github' | 'environment';

export class GitHubError extends Error {
  override name = 'GitHubError';
  readonly status: number;
  readonly fault: GitHubFault;
  constructor(message: string, options: { status: number; fault: GitHubFault }) {
    super(message);
    this.status = options.status;
    this.fault = options.fault;
  }
}

export class GitHubRateLimitError extends GitHubError {
  override name = 'GitHubRateLimitError';
  /** When GitHub will take requests again. */
  readonly retryAt: Date;
  constructor(message: string, options: { status: number; retryAt: Date }) {
    super(message, { status: options.status, fault: 'environment' });
    this.retryAt = options.retryAt;
  }
}

/** What an Octokit RequestError carries, read without trusting its shape. */
export interface HttpFailure {
  status: number;
  headers: Record<string, string | number | undefined>;
  message: string;
  errors: string[];
}

export function httpFailureOf(error: unknown): HttpFailure | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error) || typeof error.status !== 'number' || error.status < 400) return undefined;
  // Octokit reports a request that never got an answer (connection refused, DNS) as a 500 without a response.
  if (!('response' in error) || typeof error.response !== 'object' || error.response === null) return undefined;
  const response = error.response as { headers?: unknown; data?: unknown };
  const headers = (typeof response.headers === 'object' && response.headers !== null ? response.headers : {}) as HttpFailure['headers'];
  const data = (typeof response.data === 'object' && response.data !== null ? response.data : {}) as { message?: unknown; errors?: unknown };
  const message = typeof data.message === 'string' ? data.message : error instanceof Error ? error.message : `HTTP ${error.status}`;
  const errors = Array.isArray(data.errors)
    ? data.errors.map((e: unknown) => {
        if (typeof e !== 'object' || e === null) return String(e);
        const item = e as { message?: unknown; resource?: unknown; field?: unknown; code?: unknown };
        return typeof item.message === 'string' ? item.message : [item.resource, item.field, item.code].filter((x) => typeof x === 'string').join(' ');
      })
    : [];
  return { status: error.status, headers, message, errors };
}
