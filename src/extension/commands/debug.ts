import type { InvokeResult } from '../../core/local';
import { debugLanguage } from '../../core/local/debug';
import type { LocalDebugger } from '../local/debug';
import { eventFromArg, pickEvent } from '../local/events';
import type { ModelStore } from '../model/store';
import type { Prompts } from '../prompts';
import { pickFunction } from './pick';

/** Lambda: Debug Locally — from the palette, a tree row, an event row or the handler's CodeLens. */
export async function debugLocally(store: ModelStore, debuggers: LocalDebugger, prompts: Prompts, arg: unknown): Promise<InvokeResult | undefined> {
  const fn = await pickFunction(store, arg, 'debug locally', (f) => f.packageType === 'Zip' && debugLanguage(f) !== undefined);
  if (!fn) return undefined;
  // Before any question: a function that cannot be debugged here says so at once.
  debuggers.languageOf(fn);
  const event = (await eventFromArg(arg)) ?? (await pickEvent(fn, prompts));
  if (!event) return undefined;
  return debuggers.debug(fn, event);
}
