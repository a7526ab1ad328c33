import type { SampleParams } from '../../events/types';
import type { EventSourceId } from '../options';

export interface WiringContext {
  logicalId: string;
  name: string;
  /** The function's timeout in seconds as it will deploy (Globals, else Lambda's default 3). */
  timeoutSeconds: number;
}

/** What an event source adds to the template around and inside the new function. */
export interface SourceWiring {
  /** Entries of the function's Properties.Events. */
  events?: Record<string, unknown>;
  /** Other function properties the source needs (FunctionUrlConfig). */
  functionProperties?: Record<string, unknown>;
  /** Companion resources (queue, bucket, table...), keyed by logical id. */
  resources?: Record<string, unknown>;
  parameters?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  /** Comments above keys, by path from the top of the template. */
  comments?: { path: string[]; text: string }[];
  /** What the person should know before deploying. */
  notes?: string[];
}

export interface SampleChoice {
  /** File label: events/<LogicalId>/<name>.<type>.json. */
  name: string;
  params: SampleParams;
}

export interface SourceScaffold {
  id: EventSourceId;
  wiring(ctx: WiringContext): SourceWiring;
  sample(ctx: WiringContext): SampleChoice;
}
