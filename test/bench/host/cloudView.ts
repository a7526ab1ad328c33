/**
 * The part of the Cloud view benchmark (test/bench/cloud.ts) that runs in the extension host:
 * it points the extension at the emulator, then times the tree's getChildren calls the view makes
 * for its first page of functions, next to one bare ListFunctions page call. It prints one line,
 * `LWB-BENCH {json}`, for the benchmark to read.
 */
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { WorkbenchApi } from '../../../src/extension/main';

const EXTENSION_ID = 'lambda-workbench.lambda-workbench';

export async function run(): Promise<void> {
  const moto = process.env.LWB_BENCH_MOTO_URL;
  const runs = Number(process.env.LWB_BENCH_RUNS ?? 9);
  if (!moto) throw new Error('LWB_BENCH_MOTO_URL is not set: run this through test/bench/cloud.ts');
  const api = await vscode.extensions.getExtension<WorkbenchApi>(EXTENSION_ID)!.activate();
  const aws = vscode.workspace.getConfiguration('lambdaWorkbench.aws');
  await aws.update('endpointUrl', moto, vscode.ConfigurationTarget.Workspace);
  await aws.update('region', 'us-east-1', vscode.ConfigurationTarget.Workspace);
  const tree = api.cloudTree;

  /** What the view does when it opens: the root, its groups, then the Functions group's rows. */
  const firstPage = async (): Promise<{ ms: number; rows: number }> => {
    tree.refreshNow();
    const started = performance.now();
    const [account] = await tree.getChildren();
    const [functions] = await tree.getChildren(account);
    const rows = await tree.getChildren(functions);
    const ms = performance.now() - started;
    if (rows.length !== 51) throw new Error(`expected 50 functions and "Load more…", got ${rows.length} rows: ${rows.map((r) => r.label).join(', ')}`);
    return { ms, rows: rows.length };
  };

  const { LambdaClient, ListFunctionsCommand } = await import('@aws-sdk/client-lambda');
  const lambda = new LambdaClient({ endpoint: moto, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const listPage = async (): Promise<{ ms: number; functions: number }> => {
    const started = performance.now();
    const out = await lambda.send(new ListFunctionsCommand({ MaxItems: 50 }));
    return { ms: performance.now() - started, functions: out.Functions?.length ?? 0 };
  };

  // The first open loads the AWS SDK bundle and makes the session: reported on its own.
  const cold = await firstPage();
  const coldList = await listPage();
  const tree_: number[] = [];
  const list: number[] = [];
  let returned = 0;
  for (let i = 0; i < runs; i++) {
    // Interleaved, so both see the same emulator and machine load.
    tree_.push((await firstPage()).ms);
    const l = await listPage();
    list.push(l.ms);
    returned = l.functions;
  }
  lambda.destroy();
  console.log(`LWB-BENCH ${JSON.stringify({ coldTreeMs: cold.ms, coldListMs: coldList.ms, treeMs: tree_, listMs: list, listReturned: returned })}`);
}
