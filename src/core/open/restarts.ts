import type { Settings } from './settings';

/** What a change of settings makes stale; everything else keeps running. */
export interface Restarts {
  /** The AWS sessions, and the layer sizes looked up with them. */
  aws: boolean;
  /** The local runner: its warm containers are removed and the next invoke starts cold. */
  runner: boolean;
  /** The build engine: builds' installer options changed, so every artifact is out of date. */
  builds: boolean;
  /**
   * Which measurements to redo: every function's (the warning threshold judges them all), only
   * those with layers given by ARN (looked up with the old AWS settings), or none.
   */
  sizes: 'all' | 'arnLayers' | 'none';
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Decides, setting by setting, what a change affects:
 * - aws.*: the sessions and ARN layer lookups. The runner only where it holds what they chose:
 *   its region (aws.region, or aws.profile when the region comes from the profile) and the
 *   credentials it passes (aws.profile, when local.passAwsCredentials is on). It downloads ARN
 *   layers through the current sessions, so aws.endpointUrl alone leaves it running.
 * - local.* and docker.*: the runner, except local.envFile, which each invoke reads (containers
 *   whose environment changes are replaced then), and local.minWarm, which the editor's warm pool
 *   takes as it is.
 * - size.warnAt: every measurement's status and findings.
 * - build.*: the build engine, and every measurement (artifacts built with other options are stale).
 * - local.images and docker.host: the build engine too (a Python package with no wheel is built in
 *   the function's image, on that engine), but no artifact: they are not among a build's inputs.
 * - deploy.*: nothing that runs; each deploy reads them.
 */
export function restartsFor(before: Settings, after: Settings): Restarts {
  const aws = !same(before.aws, after.aws);
  const profileChanged = before.aws.profile !== after.aws.profile;
  const region = before.aws.region !== after.aws.region || (profileChanged && !after.aws.region);
  const credentials = profileChanged && after.local.passAwsCredentials;
  const runnerLocal = (l: Settings['local']): unknown => ({ ...l, envFile: undefined, minWarm: undefined });
  const runner = !same(runnerLocal(before.local), runnerLocal(after.local)) || before.docker.host !== after.docker.host || region || credentials;
  const options = !same(before.build, after.build);
  const builds = options || !same(before.local.images, after.local.images) || before.docker.host !== after.docker.host;
  const sizes = before.size.warnAt !== after.size.warnAt || options ? 'all' : aws ? 'arnLayers' : 'none';
  return { aws, runner, builds, sizes };
}

/** Whether anything needs doing. */
export function restartsAnything(r: Restarts): boolean {
  return r.aws || r.runner || r.builds || r.sizes !== 'none';
}
