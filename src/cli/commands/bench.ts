import { resolve } from 'node:path';
import { type BenchRun, runBench } from '../../core/local';
import { type Io, UsageError } from '../io';
import { type OptionValues, parseOptions } from '../options';
import { formatTable } from '../table';
import { findFunction, LOCAL_OPTIONS, openRunner, readEvent } from './localRun';
import { reportFailure } from '../failures';

export const BENCH_USAGE = `Usage: lambda-workbench bench LOGICAL_ID --event FILE [-n N] [-c C] [--memory 128,512,...] [options]

Local power tuning: for each memory size, cold starts and N warm invocations at concurrency C
(C warm containers), with p50/p90/p99/max durations, Init Duration, Max Memory Used and the cost
of a million invocations at x86_64 and arm64 prices.

Options:
  --event FILE|-         the event (JSON)
  -n N                   warm invocations per memory size (default 20)
  -c C                   concurrency: containers kept warm at once (default 1)
  --memory LIST          memory sizes in MB, comma-separated (default: the function's)
  --cold K               cold starts measured per memory size (default 3)
  --cpu lambda|host      lambda (default): CPU in proportion to memory as in Lambda; host: unlimited
  --image IMAGE, --env-file F, --docker-host URL, --runtime-api-address A,
  --network bridge|host, --label KEY=VALUE, --pass-credentials, --profile P,
  --region R, --endpoint-url URL,
  --pip-arg, --npm-arg, --maven-arg         as for invoke (a function a builder makes runs as its
                                            artifact, built first when out of date)
  --json                 machine output on stdout`;

function count(values: OptionValues, name: string, fallback: number, min: number): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`-${name.length > 1 ? '-' : ''}${name} wants a whole number of at least ${min}, not '${String(v)}'`);
  return n;
}

function memorySizes(values: OptionValues, fallback: number): number[] {
  const v = values.memory;
  if (typeof v !== 'string') return [fallback];
  const sizes = v.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  for (const s of sizes) if (!Number.isInteger(s) || s < 128 || s > 10_240) throw new UsageError(`--memory sizes are whole MB from 128 to 10240, not '${v}'`);
  if (sizes.length === 0) throw new UsageError('--memory wants at least one size');
  return sizes;
}

/** `bench LOGICAL_ID --event FILE`: local power tuning, printed as CLI.md describes. */
export async function benchCommand(args: string[], io: Io, cwd = process.cwd(), stdin?: () => string): Promise<number> {
  const { common, values, positionals } = parseOptions(
    args,
    { ...LOCAL_OPTIONS, event: { type: 'string' }, n: { type: 'string', short: 'n' }, c: { type: 'string', short: 'c' }, memory: { type: 'string' }, cold: { type: 'string' }, cpu: { type: 'string' } },
    { positionals: true, cwd },
  );
  if (positionals.length > 1) throw new UsageError(`bench takes one function, not ${positionals.length}`);
  if (typeof values.event !== 'string') throw new UsageError('bench needs --event FILE (or --event - for stdin)');
  const cpu = values.cpu ?? 'lambda';
  if (cpu !== 'lambda' && cpu !== 'host') throw new UsageError(`--cpu is lambda or host, not '${String(cpu)}'`);
  const n = count(values, 'n', 20, 1);
  const c = count(values, 'c', 1, 1);
  const coldStarts = count(values, 'cold', 3, 0);
  const fn = await findFunction(common, positionals[0]);
  const sizes = memorySizes(values, fn.memorySize);
  let session: Awaited<ReturnType<typeof openRunner>> | undefined;
  try {
    const payload = readEvent(values.event, cwd, stdin);
    session = await openRunner(fn, values, { cpu }, common.json ? undefined : io);
    const runs = await runBench(session.runner, fn, {
      payload,
      envFile: typeof values['env-file'] === 'string' ? resolve(cwd, values['env-file']) : undefined,
      n,
      concurrency: c,
      memorySizes: sizes,
      coldStarts,
      token: session.token,
      onProgress: common.json ? undefined : (m) => io.err(`... ${m}`),
    });
    if (common.json) io.out(JSON.stringify({ runs: runs.map(runJson) }, null, 2));
    else printHuman(fn.logicalId, runs, io);
    return 0;
  } catch (err) {
    return reportFailure(err, io, 'bench');
  } finally {
    await session?.close();
  }
}

function runJson(r: BenchRun) {
  return {
    memorySizeMb: r.memorySizeMb,
    concurrency: r.concurrency,
    n: r.n,
    cold: r.cold,
    warm: r.warm,
    initDurationMs: r.initDurationMs,
    maxMemoryUsedMb: r.maxMemoryUsedMb,
    costPerMillionUsd: r.costPerMillionUsd,
    coldStarts: r.coldStarts,
    errors: r.errors,
  };
}

function printHuman(logicalId: string, runs: BenchRun[], io: Io): void {
  const ms = (v: number | null): string => (v === null ? '-' : v.toFixed(2));
  const rows = runs.map((r) => [
    `${r.memorySizeMb} MB`,
    `${ms(r.cold.p50)} / ${ms(r.cold.p99)}`,
    `${ms(r.warm.p50)} / ${ms(r.warm.p90)} / ${ms(r.warm.p99)} / ${ms(r.warm.max)}`,
    ms(r.initDurationMs),
    `${r.maxMemoryUsedMb} MB`,
    `$${r.costPerMillionUsd.x86_64.toFixed(4)}`,
    `$${r.costPerMillionUsd.arm64.toFixed(4)}`,
    r.errors ? String(r.errors) : '-',
  ]);
  io.out(`${logicalId}: ${runs[0]?.n ?? 0} warm invocations at concurrency ${runs[0]?.concurrency ?? 1} per memory size (ms)\n`);
  io.out(formatTable(['MEMORY', 'COLD p50/p99', 'WARM p50/p90/p99/max', 'INIT', 'MAX USED', '$/1M x86_64', '$/1M arm64', 'ERRORS'], rows));
  const cheapest = [...runs].sort((a, b) => a.costPerMillionUsd.arm64 - b.costPerMillionUsd.arm64)[0];
  const fastest = [...runs].sort((a, b) => a.warm.p50 - b.warm.p50)[0];
  if (runs.length > 1 && cheapest && fastest) io.out(`\nCheapest: ${cheapest.memorySizeMb} MB. Fastest (warm p50): ${fastest.memorySizeMb} MB.`);
}
