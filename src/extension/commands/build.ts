import * as vscode from 'vscode';
import { type Buildable, isLayer } from '../../core/build/choose';
import type { FunctionBuild } from '../../core/build/types';
import { UserError } from '../../core/errors';
import type { FunctionSpec } from '../../core/model/types';
import type { CoreServices } from '../core';
import type { ModelStore } from '../model/store';
import type { SizeService } from '../size/service';
import type { Workbench } from '../workbench';
import { pickFunction } from './pick';

/** Lambda: Build Function — one function, from its row or a pick; a failure is a UserError with its fix. */
export async function buildFunction(wb: Workbench, store: ModelStore, services: CoreServices, sizes: SizeService, arg: unknown): Promise<FunctionBuild | undefined> {
  const fn = await pickFunction(store, arg, 'build');
  if (!fn) return undefined;
  const [build] = await runBuilds(wb, services, sizes, [fn], `Building ${fn.logicalId}`, true);
  return build;
}

/**
 * Lambda: Build All — every layer with a BuildMethod, then every function, of every template (as
 * `sam build` does); each failure is reported, the others still build.
 */
export async function buildAll(wb: Workbench, store: ModelStore, services: CoreServices, sizes: SizeService): Promise<FunctionBuild[] | undefined> {
  await store.ready();
  const functions = store.functions();
  const layers = store.layers().filter((l) => l.build);
  if (functions.length + layers.length === 0) {
    void vscode.window.showInformationMessage('Nothing to build: no function in the workspace templates.');
    return undefined;
  }
  const title = `Building ${count(functions.length, 'function')}${layers.length ? ` and ${count(layers.length, 'layer')}` : ''}`;
  const builds = await runBuilds(wb, services, sizes, [...layers, ...functions], title, false);
  const failed = builds.filter((b) => b.status === 'failed');
  if (failed.length > 0) {
    const first = failed[0];
    throw new UserError(
      `${failed.length} of ${builds.length} builds failed: ${failed.map((b) => `${b.logicalId}: ${b.reason ?? 'failed'}`).join(' ')}`,
      failed.length === 1 ? first.hint : `${first.hint ?? ''} The log has each build's output.`.trim(),
      'build-failed',
    );
  }
  const built = builds.filter((b) => b.status === 'built');
  const cached = builds.filter((b) => b.status === 'cached').length;
  const builtLayers = built.filter((b) => b.kind === 'layer').length;
  const what = `${count(built.length - builtLayers, 'function')}${builtLayers ? ` and ${count(builtLayers, 'layer')}` : ''}`;
  void vscode.window.showInformationMessage(`Built ${what}${cached ? `; ${cached} already up to date` : ''}.`);
  return builds;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * The builds in a notification with Cancel, their output in the log, then fresh sizes: the tree
 * and the problems show the artifacts, not estimates. `single`: a failure is thrown (the error
 * boundary shows it); otherwise failures are results.
 */
async function runBuilds(wb: Workbench, services: CoreServices, sizes: SizeService, fns: Buildable[], title: string, single: boolean): Promise<FunctionBuild[]> {
  const engine = await services.core.buildEngine();
  const builds = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const onLog = (line: string): void => {
      wb.log.info(`[build] ${line}`);
      progress.report({ message: line.length > 120 ? `${line.slice(0, 117)}...` : line });
    };
    if (single) return [await engine.build(fns[0], { token, onLog })];
    return engine.buildAll(fns, { token, onLog });
  });
  sizes.schedule(fns.filter((f): f is FunctionSpec => !isLayer(f)));
  await sizes.flush();
  return builds;
}
