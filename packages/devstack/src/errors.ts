/**
 * A launcher failure a person can act on: `message` says what happened, `hint` what to do.
 * main.ts prints both on one line, never a stack trace.
 */
export class LauncherError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'LauncherError';
  }
}

/** One line for any failure: a LauncherError with its hint, anything else by its message only. */
export function oneLine(error: unknown): string {
  const text =
    error instanceof LauncherError
      ? `${error.message}. ${error.hint}`
      : error instanceof Error
        ? error.message || error.name
        : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
