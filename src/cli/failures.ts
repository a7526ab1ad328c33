import { UserError } from '../core/errors';
import { type Io, UsageError } from './io';

/**
 * Prints an expected failure (a UserError: what went wrong and what to do; a cancellation; a value
 * out of range) and
 * returns exit code 1. Usage errors and bugs go on up, to the exit-2 handler and the crash report.
 */
export function reportFailure(err: unknown, io: Io, command: string): number {
  if (err instanceof UsageError) throw err;
  if (err instanceof UserError) {
    io.err(`lambda-workbench ${command}: ${err.message}${err.hint ? `\n${err.hint}` : ''}`);
    return 1;
  }
  if (err instanceof Error && (err.name === 'CancelledError' || err instanceof RangeError)) {
    io.err(`lambda-workbench ${command}: ${err.message}`);
    return 1;
  }
  throw err;
}
