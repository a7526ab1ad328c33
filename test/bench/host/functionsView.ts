/**
 * The part of the Functions view benchmark (test/bench/functions.ts) that runs in the extension host:
 * times what the view waits for before it shows its first level on a workspace of 500 functions
 * (discovery, reading, parsing and checking every template, then the tree's root), next to a bare
 * `yaml` parse of the same template files in the same host. Prints `LWB-BENCH {json}`.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { CFN_TAGS } from '../../../src/core/model/tags';
import type { WorkbenchApi } from '../../../src/extension/main';

export async function run(): Promise<void> {
  const runs = Number(process.env.LWB_BENCH_RUNS ?? 9);
  const api = await vscode.extensions.getExtension<WorkbenchApi>('lambda-workbench.lambda-workbench')!.activate();
  const firstLevel = async (): Promise<{ ms: number; rows: number; functions: number }> => {
    const started = performance.now();
    await api.model.reload();
    const rows = await api.functionsTree.getChildren();
    return { ms: performance.now() - started, rows: rows.length, functions: api.model.functions().length };
  };
  const paths = (): string[] => api.model.templates().map((t) => t.path);
  const bareParse = (): number => {
    const started = performance.now();
    for (const p of paths()) parse(readFileSync(p, 'utf8'), { customTags: CFN_TAGS });
    return performance.now() - started;
  };
  const first = await firstLevel();
  const view: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < runs; i++) {
    view.push((await firstLevel()).ms);
    floor.push(bareParse());
  }
  console.log(`LWB-BENCH ${JSON.stringify({ firstMs: first.ms, rows: first.rows, functions: first.functions, viewMs: view, floorMs: floor })}`);
}
