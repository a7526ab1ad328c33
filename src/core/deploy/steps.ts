import { type CancellationTokenLike, CancelledError } from '../cancel';
import { UserError, describeError } from '../errors';
import type { DeployProgress, ProgressListener, StepName } from './types';

/** A step that threw: which one, and the error it threw. */
export class StepFailure extends Error {
  constructor(
    readonly step: StepName,
    override readonly cause: unknown,
  ) {
    super(`step "${step}" failed: ${describeError(cause)}`);
    this.name = 'StepFailure';
  }
}

/**
 * Runs the steps of one function or layer in order: checks for cancellation before each, reports
 * start/progress/done, and remembers what each finished step left behind, so a failure can say
 * exactly what state the deploy stopped in.
 */
export class StepRunner {
  /** What finished steps changed, in order ("layer shared:4 published", "code updated"). */
  readonly done: string[] = [];
  private readonly remaining: StepName[];

  constructor(
    private readonly target: DeployProgress['target'],
    planned: StepName[],
    private readonly onProgress: ProgressListener | undefined,
    private readonly token: CancellationTokenLike | undefined,
    /** Changes made before this runner started (e.g. layers published for this function). */
    before: string[] = [],
  ) {
    this.remaining = [...planned];
    this.done.push(...before);
  }

  emit(step: StepName, phase: DeployProgress['phase'], extra: Partial<DeployProgress> = {}): void {
    this.onProgress?.({ target: this.target, step, phase, ...extra });
  }

  /**
   * Runs one step. `left` says what it changed, for the record (omit for read-only steps). A body
   * that has made its change and still has work to do (waiting for Lambda to finish it, checking
   * what Lambda stored) calls `committed` with what it changed: a cancel or a failure after that
   * reports the change as made, not as still to do.
   */
  async run<T>(
    step: StepName,
    body: (report: (bytes: number, totalBytes?: number) => void, committed: (note: string) => void) => Promise<T>,
    left?: (value: T) => string | undefined,
  ): Promise<T> {
    if (this.token?.isCancellationRequested) throw new CancelledError(`the deploy of ${this.target.name} before "${step}"`);
    this.emit(step, 'start');
    let value: T;
    let made: string | undefined;
    try {
      value = await body(
        (bytes, totalBytes) => this.emit(step, 'progress', { bytes, totalBytes }),
        (note) => void (made = note),
      );
    } catch (err) {
      if (made !== undefined) {
        this.finish(step);
        this.done.push(made);
      }
      if (err instanceof CancelledError) throw err;
      throw new StepFailure(step, err);
    }
    this.finish(step);
    const note = left?.(value);
    if (note) this.done.push(note);
    this.emit(step, 'done');
    return value;
  }

  skip(step: StepName, message?: string): void {
    this.finish(step);
    this.emit(step, 'skipped', message ? { message } : {});
  }

  private finish(step: StepName): void {
    const i = this.remaining.indexOf(step);
    if (i >= 0) this.remaining.splice(i, 1);
  }

  /** "layer shared:4 published; not done: update code, update configuration". */
  describeState(): string {
    const done = this.done.length ? this.done.join(', ') : `nothing changed for ${this.target.name}`;
    const pending = this.remaining.length ? `; not done: ${this.remaining.join(', ')}` : '';
    return `${done}${pending}`;
  }

  /** The error to report for a failed or cancelled run, naming the step and the state left behind. */
  failure(err: unknown): { cancelled: boolean; reason: string; error: unknown } {
    if (err instanceof CancelledError) {
      return { cancelled: true, reason: `Cancelled. Left behind: ${this.describeState()}. Run the deploy again to finish.`, error: err };
    }
    const step = err instanceof StepFailure ? err.step : undefined;
    const cause = err instanceof StepFailure ? err.cause : err;
    const hint = cause instanceof UserError && cause.hint ? ` ${cause.hint}` : '';
    const reason =
      `${step ? `Step "${step}" failed` : 'Failed'}: ${cause instanceof Error ? cause.message : String(cause)}${hint} ` +
      `Left behind: ${this.describeState()}. Run the deploy again to finish: completed steps are skipped.`;
    return { cancelled: false, reason, error: cause };
  }
}
