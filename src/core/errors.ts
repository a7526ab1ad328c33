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

/** The message and hint of any error, for showing to a person: as sentences. */
export function describeError(err: unknown): string {
  if (err instanceof UserError) return sentences(err.message, err.hint);
  if (err instanceof Error) return sentences(err.message);
  return sentences(String(err));
}

/**
 * Pieces of text as one paragraph: each piece ends with a full stop (added only when it has none),
 * so a message that ends in a quoted reason and the hint after it never run together, and a piece
 * that has its stop never gets a second one.
 */
export function sentences(...parts: (string | null | undefined)[]): string {
  return parts
    .map((p) => (p ?? '').trim())
    .filter((p) => p !== '')
    .map((p) => (/[.!?…]$/.test(p) ? p : `${p}.`))
    .join(' ');
}
