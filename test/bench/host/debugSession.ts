/**
 * The part of the Debug Locally benchmark (test/bench/debug.ts) that runs in the extension host:
 * times the command to the moment the debugger stops on a breakpoint on the handler's first line,
 * the first time in this window (engine check, runner, container) and then again (image and
 * engine warm; each debug session still gets a fresh container), next to a cold Invoke Locally of
 * the same function and event in the same host, up to the moment its handler starts (the reference:
 * the same container start and runtime init, without the debugger; its wall time less the handler's
 * own Duration from the REPORT, so both stop where the handler's first line runs).
 * Prints `LWB-BENCH {json}`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { InvokeResult } from '../../../src/core/local';
import type { WorkbenchApi } from '../../../src/extension/main';

export async function run(): Promise<void> {
  const runs = Number(process.env.LWB_BENCH_RUNS ?? 7);
  const image = process.env.LWB_TEST_IMAGE_NODE;
  if (!image) throw new Error('LWB_TEST_IMAGE_NODE names the Node test image');
  await vscode.workspace.getConfiguration('lambdaWorkbench.local').update('images', { 'nodejs22.x': image }, vscode.ConfigurationTarget.Workspace);
  const api = await vscode.extensions.getExtension<WorkbenchApi>('lambda-workbench.lambda-workbench')!.activate();
  await api.model.ready();
  const fn = api.model.functions().find((f) => f.logicalId === 'HelloNode')!;
  const handler = join(fn.codeUri!, 'app.mjs');
  const line = readFileSync(handler, 'utf8').split('\n').findIndex((l) => l.includes('const name ='));
  vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(handler), new vscode.Position(line, 0)))]);
  const arg = { templatePath: fn.templatePath, logicalId: fn.logicalId, eventPath: join(fn.templatePath, '..', 'events', 'HelloNode', 'get-hello.apigateway-http.json') };

  /** Command to breakpoint, then continue and wait for the invocation to end. */
  const toBreakpoint = async (): Promise<number> => {
    let stopped!: (s: { session: vscode.DebugSession; threadId: number; at: number }) => void;
    const hit = new Promise<{ session: vscode.DebugSession; threadId: number; at: number }>((r) => (stopped = r));
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (m: { type?: string; event?: string; body?: { reason?: string; threadId?: number } }) => {
          if (m.type === 'event' && m.event === 'stopped' && m.body?.reason === 'breakpoint') stopped({ session, threadId: m.body.threadId ?? 0, at: performance.now() });
        },
      }),
    });
    try {
      const started = performance.now();
      const pending = vscode.commands.executeCommand<InvokeResult | undefined>('lambdaWorkbench.debugLocally', arg);
      const stop = await hit;
      await stop.session.customRequest('continue', { threadId: stop.threadId });
      const result = await pending;
      if (!result || result.error) throw new Error(`the debugged invocation failed: ${JSON.stringify(result?.error)}`);
      return stop.at - started;
    } finally {
      tracker.dispose();
    }
  };
  const coldInvoke = async (): Promise<number> => {
    await api.localRuns.reset();
    const started = performance.now();
    const result = await vscode.commands.executeCommand<InvokeResult | undefined>('lambdaWorkbench.invokeLocally', arg);
    const wall = performance.now() - started;
    if (!result || result.error) throw new Error(`the reference invoke failed: ${JSON.stringify(result?.error)}`);
    return wall - result.report.durationMs;
  };

  const firstMs = await toBreakpoint();
  const warm: number[] = [];
  const reference: number[] = [];
  for (let i = 0; i < runs; i++) {
    warm.push(await toBreakpoint());
    reference.push(await coldInvoke());
  }
  vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  await vscode.workspace.getConfiguration('lambdaWorkbench.local').update('images', undefined, vscode.ConfigurationTarget.Workspace);
  console.log(`LWB-BENCH ${JSON.stringify({ firstMs, warmMs: warm, referenceMs: reference })}`);
}
