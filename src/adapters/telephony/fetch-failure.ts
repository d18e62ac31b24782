// Turning a failed fetch (timeout, refused connection, DNS) into a short, secret-free reason.
// undici's own message is just "fetch failed"; the useful part (ECONNREFUSED…) is in `cause`.

export function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

export function describeFetchFailure(error: unknown, timeoutMs: number): string {
  if (isTimeout(error)) return `no answer within ${timeoutMs} ms`;
  if (!(error instanceof Error)) return 'network error';
  const cause = (error as Error & { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : '';
  // Only the error class and system code: messages can quote URLs or request bodies.
  return code ? `${error.message} (${code})`.slice(0, 200) : error.name;
}
