/**
 * A start-up failure the operator can fix: its message is one line naming the cause and the fix, printed as the
 * last line on stderr instead of a stack trace.
 */
export class StartError extends Error {
  override name = 'StartError';
}
