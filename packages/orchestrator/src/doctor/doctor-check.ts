// What `baton doctor` reports: one result per check, with the fix when something is wrong.
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  /** Short name, e.g. "git" or "model worker (anthropic:claude-haiku-4-5)". */
  name: string;
  status: CheckStatus;
  /** What was found. */
  detail: string;
  /** What to do, when the status is warn or fail. */
  fix?: string;
  /** Model checks: what the tiny call cost. */
  usage?: { inputTokens: number; outputTokens: number; costUsd: number | null };
}

export interface DoctorCheck {
  name: string;
  run(): Promise<CheckResult | CheckResult[]>;
}

/** Runs the checks in order; a check that throws is reported as failed, never crashes the doctor. */
export async function runChecks(checks: readonly DoctorCheck[], onResult: (result: CheckResult) => void = () => undefined): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    let outcome: CheckResult[];
    try {
      const ran = await check.run();
      outcome = Array.isArray(ran) ? ran : [ran];
    } catch (error) {
      outcome = [{ name: check.name, status: 'fail', detail: `the check itself failed: ${(error as Error).message}`, fix: 'this is a bug in baton doctor; please report it with this output' }];
    }
    for (const result of outcome) {
      results.push(result);
      onResult(result);
    }
  }
  return results;
}

/** 0 when nothing failed (warnings allowed), 1 when a check failed. */
export function doctorExitCode(results: readonly CheckResult[]): number {
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}
