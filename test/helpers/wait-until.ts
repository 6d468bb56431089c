/** Polls `check` every `intervalMs` until it is true; throws `what` when `timeoutMs` passes first. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000, intervalMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The readiness status (`ready`, `degraded`, `not ready`) a gateway answers at /readyz, or `unreachable`. */
export async function readinessOf(url: string): Promise<string> {
  try {
    return ((await (await fetch(`${url}/readyz`)).json()) as { status: string }).status;
  } catch {
    return 'unreachable';
  }
}
