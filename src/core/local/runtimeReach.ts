import type { EngineSources } from '../docker/engine';
import { UserError } from '../errors';
import { CLI_SOURCES } from '../sources';
import { type RuntimeAddressPlan, runtimeApiAddressHint } from './network';

/** What a cold start saw when it ended before the runtime's first poll. */
export interface ColdStartEvidence {
  logicalId: string;
  plan: RuntimeAddressPlan;
  /** host:port as the container got it in AWS_LAMBDA_RUNTIME_API. */
  runtimeApi: string;
  /** Anything connected to the Runtime API, refused callers included. */
  contacted: boolean;
  /** Callers the Runtime API refused. */
  refused: readonly string[];
  /** The container exited (with OOMKilled from its state), or the init phase ran out. */
  ended: { kind: 'exit'; code: number; oomKilled: boolean } | { kind: 'init-timeout'; afterMs: number };
  /**
   * The runtime is the function's own program (a custom runtime's bootstrap): its init code runs
   * before it first asks for an event, so its exit says nothing about the address.
   */
  ownRuntime?: boolean;
  /** How the shell names what a person sets (the engine's); default the CLI's. */
  sources?: EngineSources;
}

/**
 * Tells a container that could not reach its Runtime API from one whose runtime failed on its
 * own, so the person sees the address and the setting instead of a bare exit or init timeout.
 * The runtime asks for its first event as soon as its init is done, and exits at once when that
 * address does not answer (the AWS runtime interface clients exit 1). So: no connection at all
 * before the container ended, or only refused ones, means the address was wrong for it. An
 * entrypoint that could not run (exit 126, 127), an out-of-memory kill, or the exit of a custom
 * runtime (the function's own code, which may fail its init before asking) is the runtime's own
 * failure; undefined then, and the caller reports it as before.
 */
export function runtimeApiReachError(e: ColdStartEvidence): UserError | undefined {
  if (e.ended.kind === 'exit' && (e.ended.oomKilled || e.ended.code === 126 || e.ended.code === 127 || e.ownRuntime)) return undefined;
  const at = `the Runtime API at ${e.runtimeApi} (${e.plan.source})`;
  const sources = e.sources ?? CLI_SOURCES;
  const giveAddress = runtimeApiAddressHint(sources);
  if (e.refused.length > 0) {
    const allowed = e.plan.allow === 'container-address' ? "the container's own address" : [...e.plan.allow, ...(e.plan.allowContainer ? ["the container's own address"] : [])].join(', ');
    return new UserError(
      `The container for ${e.logicalId} reached ${at}, but from ${e.refused.join(', ')}, which it does not answer (it answers ${allowed}): something between the engine and this machine translates addresses.`,
      `Choose the engine by its own address rather than through a proxy or tunnel (${sources.chooseDockerHost}), or ${giveAddress} directly.`,
      'runtime-api-unreachable',
    );
  }
  if (e.contacted) return undefined;
  const how =
    e.ended.kind === 'exit'
      ? `it exited (code ${e.ended.code}) without ever connecting, which is what a runtime does when that address does not answer (if its output shows it failed before trying, that is the cause instead)`
      : `nothing connected within ${Math.round(e.ended.afterMs / 1000)} s (unless its init really takes that long)`;
  const hint =
    e.plan.source === 'the bridge gateway'
      ? `A firewall on this machine may drop traffic from Docker's bridge (with ufw: \`sudo ufw allow in on docker0\`); otherwise ${giveAddress}.`
      : `${giveAddress.replace(/^give/, 'Give')}.`;
  return new UserError(`The container for ${e.logicalId} could not reach ${at}: ${how}.`, hint, 'runtime-api-unreachable');
}
