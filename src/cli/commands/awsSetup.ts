import type { CancellationTokenLike } from '../../core/cancel';
import type { AwsSession, DeployContext, DeployOptions, DeployProgress } from '../../core/deploy';
import type { LayerSpec, TemplateModel } from '../../core/model/types';
import { openCliCore, settingsFromFlags } from '../core';
import { type Io, UsageError } from '../io';
import { type CommonOptions, type OptionSpec, type OptionValues, loadTemplates } from '../options';

/** The AWS flags `deploy`, `layers` and `doctor` share (CLI.md). */
export const AWS_OPTIONS = {
  profile: { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
} as const satisfies OptionSpec;

export function positiveInt(values: OptionValues, key: string, fallback: number, min = 1): number {
  const raw = typeof values[key] === 'string' ? values[key] : undefined;
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${key} wants a whole number of at least ${min}, not '${raw}'`);
  return n;
}

/** Every template the common options select, loaded, with its errors on stderr. */
export async function loadModels(common: CommonOptions, io: Io): Promise<TemplateModel[]> {
  return loadTemplates(common, io);
}

/** A template layer by logical id, or undefined. Several with that id is a usage error. */
export function findLayer(models: TemplateModel[], logicalId: string): LayerSpec | undefined {
  const found = models.flatMap((m) => m.layers.filter((l) => l.logicalId === logicalId));
  if (found.length > 1) throw new UsageError(`'${logicalId}' is in several templates (${found.map((l) => l.templatePath).join(', ')}); choose one with --template`);
  return found[0];
}

/** What one AWS CLI call holds open: the session, the size engine, a Ctrl-C token. */
export interface AwsRun {
  session: AwsSession;
  token: CancellationTokenLike;
  /** The deploy context: the session, a packager over the size engine, Docker (--docker-host) for images. */
  context(options: DeployOptions): Promise<DeployContext>;
  close(): Promise<void>;
}

export async function openAwsRun(values: OptionValues, io?: Pick<Io, 'err'>): Promise<AwsRun> {
  // The first Ctrl-C stops the deploy before its next step; the summary says what was left.
  const { core, token, close } = openCliCore(settingsFromFlags(values), undefined, io);
  try {
    return { session: await core.session(), token, context: (options) => core.deployContext(options), close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Progress on stderr for people watching: one line per step started, and upload totals. */
export function progressPrinter(io: Io): (e: DeployProgress) => void {
  const quiet = new Set(['read deployed state', 'measure', 'build image']);
  // A build's own output is on stderr already; its end says whether anything ran.
  const lastPct = new Map<string, number>();
  return (e) => {
    const who = e.target.kind === 'layer' ? `layer ${e.target.name}` : e.target.name;
    if (e.phase === 'start' && !quiet.has(e.step)) io.err(`... ${who}: ${e.step}${e.message ? ` (${e.message})` : ''}`);
    if (e.phase === 'progress' && e.bytes !== undefined && e.totalBytes) {
      const pct = Math.floor((e.bytes / e.totalBytes) * 10) * 10;
      const key = `${who}/${e.step}`;
      if (pct !== lastPct.get(key)) {
        lastPct.set(key, pct);
        io.err(`... ${who}: ${e.step} ${pct}% of ${e.totalBytes.toLocaleString('en-US')} bytes`);
      }
    }
    if (e.phase === 'done' && e.step === 'package' && e.bytes !== undefined) io.err(`... ${who}: packaged, ${e.bytes.toLocaleString('en-US')} bytes`);
    if (e.phase === 'done' && e.step === 'build image') io.err(`... ${who}: image built`);
    if (e.phase === 'done' && e.step === 'build') io.err(`... ${who}: build ${e.message ?? 'done'}`);
  };
}
