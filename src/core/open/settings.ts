import type { BuildSettings } from '../build/types';
import type { AwsSessionOptions } from '../deploy/session';
import type { EngineOptions } from '../docker/engine';
import type { SettingSources } from '../sources';

export { CLI_SOURCES, EDITOR_SOURCES, type SettingSources } from '../sources';
import { DEFAULT_CONCURRENCY, DEFAULT_SERVE_PORT } from '../serve/defaults';

/**
 * Every setting the product reads, as plain values: the editor fills it from its configuration
 * (contributes.configuration), the CLI from its flags. An empty string means "not set".
 */
export interface Settings {
  aws: { profile: string; region: string; endpointUrl: string };
  size: { warnAt: number };
  /** minWarm: containers kept warm per function invoked in this window (the editor's warm pool; 0: none). */
  local: { images: Readonly<Record<string, string>>; idleTimeoutSeconds: number; passAwsCredentials: boolean; envFile: string; runtimeApiAddress: string; minWarm: number };
  docker: { host: string };
  deploy: { s3Bucket: string; publishAlias: string; concurrency: number };
  /** Extra arguments for the installers builds run: an index or mirror, an offline wheel folder or cache. */
  build: { pipArgs: readonly string[]; npmArgs: readonly string[]; mavenArgs: readonly string[] };
  /** The local API (Start Local API, CLI serve): first port (0: free ports), warm containers and concurrency per function. */
  serve: { port: number; warmContainers: number; concurrency: number };
}

/** The defaults of the manifest's contributes.configuration; the CLI starts from them too. */
export const DEFAULT_SETTINGS: Settings = {
  aws: { profile: '', region: '', endpointUrl: '' },
  size: { warnAt: 0.8 },
  local: { images: {}, idleTimeoutSeconds: 300, passAwsCredentials: false, envFile: '', runtimeApiAddress: '', minWarm: 0 },
  docker: { host: '' },
  deploy: { s3Bucket: '', publishAlias: '', concurrency: 4 },
  build: { pipArgs: [], npmArgs: [], mavenArgs: [] },
  serve: { port: DEFAULT_SERVE_PORT, warmContainers: 0, concurrency: DEFAULT_CONCURRENCY },
};

/**
 * The settings an untrusted workspace may not choose (the manifest's
 * capabilities.untrustedWorkspaces.restrictedConfigurations, without the lambdaWorkbench. prefix):
 * they decide which engine receives the code, env files and registry logins, what image runs it,
 * which file's secrets go into a container, which credentials are used, and where AWS calls and
 * staged code go. Until the workspace is trusted only the user's own values count. (The build
 * arguments are machine settings, which no workspace can set at all.)
 */
export const RESTRICTED_SETTINGS: readonly string[] = [
  'aws.profile',
  'aws.endpointUrl',
  'local.images',
  'local.passAwsCredentials',
  'local.envFile',
  'local.runtimeApiAddress',
  'docker.host',
  'deploy.s3Bucket',
];

/** The AWS session the settings choose; unset values are left to the SDK's own chain. */
export function sessionOptions(s: Pick<Settings, 'aws'>, sources?: SettingSources): AwsSessionOptions {
  return {
    ...(sources ? { sources: { profile: sources.profile, region: sources.region, keepVersions: sources.keepVersions } } : {}),
    ...(s.aws.profile ? { profile: s.aws.profile } : {}),
    ...(s.aws.region ? { region: s.aws.region } : {}),
    ...(s.aws.endpointUrl ? { endpointUrl: s.aws.endpointUrl } : {}),
  };
}

/**
 * What builds are told by the settings (they are inputs of every build: a change rebuilds). The
 * images of local runs and the engine too: a package with no wheel for Lambda is built in its
 * function's image.
 */
export function buildSettings(s: Pick<Settings, 'build' | 'local' | 'docker'>): BuildSettings {
  return {
    pipArgs: [...s.build.pipArgs],
    npmArgs: [...s.build.npmArgs],
    mavenArgs: [...s.build.mavenArgs],
    images: { ...s.local.images },
    ...(s.docker.host ? { dockerHost: s.docker.host } : {}),
  };
}

/** The Docker engine the settings choose, named in messages the way the shell names it. */
export function engineOptions(s: Pick<Settings, 'docker' | 'local'>, sources: SettingSources): EngineOptions {
  return {
    dockerHost: s.docker.host || undefined,
    dockerHostSource: sources.dockerHost,
    runtimeApiAddress: s.local.runtimeApiAddress || undefined,
    runtimeApiAddressSource: sources.runtimeApiAddress,
    sources: { chooseDockerHost: sources.chooseDockerHost, chooseRuntimeApiAddress: sources.chooseRuntimeApiAddress, ...(sources.hostNetwork ? { hostNetwork: sources.hostNetwork } : {}) },
  };
}
