/**
 * The one instrument every benchmark uses: repeated timing, one way of taking percentiles (the
 * product's own, nearest rank), and ratios printed with what they compare and their goal. Under
 * `npm run bench` each ratio is also recorded (LWB_BENCH_RATIOS names the file), so the run ends
 * with one table of every ratio against its goal.
 */
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { percentiles } from '../../src/core/local/bench';

export { percentiles };

/** The median, as every bench takes it. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('no samples');
  return percentiles([...values]).p50;
}

/** Milliseconds of each of `runs` calls, one after the other, after `warmup` calls that are not kept. */
export async function sample(runs: number, fn: (i: number) => unknown, warmup = 0): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

export interface Ratio {
  /** The benchmark it belongs to ('size', 'invoke'...). */
  bench: string;
  /** What the ratio is, in a few words ('cold size / zip'). */
  name: string;
  /** The thing measured and the reference, in words: what the ratio compares. */
  measured: string;
  reference: string;
  value: number;
  /** The goal from the issue that set one: the ratio at most this. Absent when none was set. */
  goal?: number;
}

/** Prints a ratio with what it compares and whether it meets its goal, and records it for the summary table. */
export function ratio(r: Ratio): Ratio {
  const verdict = r.goal === undefined ? 'no goal set' : `goal <= ${r.goal}x, ${r.value <= r.goal ? 'met' : 'NOT met'}`;
  console.log(`  ratio ${r.name}: ${r.value.toFixed(2)}x (${verdict})`);
  console.log(`    = ${r.measured}`);
  console.log(`    / ${r.reference}`);
  const file = process.env.LWB_BENCH_RATIOS;
  if (file) appendFileSync(file, `${JSON.stringify(r)}\n`);
  return r;
}

/** The closing table of `npm run bench`: every recorded ratio against its goal. */
export function ratioTable(ratios: readonly Ratio[]): string {
  const rows = ratios.map((r) => [r.bench, r.name, `${r.value.toFixed(2)}x`, r.goal === undefined ? '-' : `<= ${r.goal}x`, r.goal === undefined ? '' : r.value <= r.goal ? 'met' : 'NOT met']);
  const head = ['bench', 'ratio', 'value', 'goal', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
