/**
 * An error meant for a person: what went wrong (message) and what to do about it (hint).
 * The extension shows both; the CLI prints both to stderr. Anything else that escapes is a bug.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** The message and hint of any error, for showing to a person. */
export function describeError(err: unknown): string {
  if (err instanceof UserError) return err.hint ? `${err.message} ${err.hint}` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
