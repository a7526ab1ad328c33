import { readdir } from 'node:fs/promises';
import { arch as hostArch } from 'node:os';
import { isAbsolute, relative, sep } from 'node:path';
import type Dockerode from 'dockerode';
import { type CancellationTokenLike, CancelledError } from '../cancel';
import { openEngine } from '../docker';
import { UserError } from '../errors';
import type { Architecture, ImageMetadata } from '../model/types';
import { type DockerStreamEvent, followDockerStream } from './dockerStream';
import { abortSignalFor } from './retry';

/** The part of dockerode image deploys use; a real Dockerode instance is one. */
export type ImageEngine = Pick<Dockerode, 'buildImage' | 'getImage' | 'info'>;

/**
 * Connects to the engine the way the docker CLI would (the explicit host, DOCKER_HOST, the docker
 * context, the default socket), with the same checks and messages as local runs.
 */
export async function connectImageEngine(opts: { dockerHost?: string; dockerHostSource?: string } = {}): Promise<ImageEngine> {
  return (await openEngine(opts)).docker;
}

export interface BuiltImage {
  imageId: string;
  sizeBytes: number;
  repoDigests: string[];
}

/**
 * The platform to ask the build for: only when it differs from the engine's own (older engines
 * without multi-platform support reject the parameter even when it names their native platform).
 * The engine's machine decides, not this one: a remote engine may be another architecture.
 */
export function platformFor(arch: Architecture, engineArchitecture: string | undefined): string | undefined {
  const native = /^(aarch64|arm64)/.test(engineArchitecture ?? hostArch()) ? 'arm64' : 'x86_64';
  if (arch === native) return undefined;
  return arch === 'arm64' ? 'linux/arm64' : 'linux/amd64';
}

/** Builds the function's Dockerfile in its context (no pulls), tagged `ref`. */
export async function buildImage(
  engine: ImageEngine,
  image: ImageMetadata,
  arch: Architecture,
  ref: string,
  onLine: (line: string) => void,
  token?: CancellationTokenLike,
): Promise<BuiltImage> {
  const dockerfile = relative(image.dockerContext, image.dockerfile);
  if (dockerfile.startsWith('..') || isAbsolute(dockerfile)) {
    throw new UserError(
      `The Dockerfile ${image.dockerfile} is outside the build context ${image.dockerContext}.`,
      'Move it into the DockerContext folder, or set Metadata DockerContext to a folder that contains it.',
      'image-dockerfile-outside-context',
    );
  }
  let entries: string[];
  try {
    entries = await readdir(image.dockerContext);
  } catch (err) {
    throw new UserError(`Cannot read the build context ${image.dockerContext}: ${(err as Error).message}.`, 'Check Metadata DockerContext in the template.');
  }
  const engineArchitecture = await engine.info().then(
    (i: { Architecture?: string }) => i.Architecture,
    () => undefined,
  );
  const platform = platformFor(arch, engineArchitecture);
  const abort = abortSignalFor(token);
  try {
    const stream = await engine.buildImage(
      // dockerode applies the context's .dockerignore to these entries.
      { context: image.dockerContext, src: entries },
      {
        t: ref,
        dockerfile: dockerfile.split(sep).join('/'),
        pull: false,
        ...(image.buildArgs ? { buildargs: image.buildArgs } : {}),
        ...(platform ? { platform } : {}),
        abortSignal: abort.signal,
      },
    );
    let imageId: string | undefined;
    await followDockerStream(stream, (e) => {
      if (e.aux?.ID) imageId = e.aux.ID;
      const line = e.stream?.trimEnd();
      if (line) onLine(line);
    });
    const info = await engine.getImage(imageId ?? ref).inspect();
    return { imageId: info.Id, sizeBytes: info.Size, repoDigests: info.RepoDigests ?? [] };
  } catch (err) {
    if (token?.isCancellationRequested) throw new CancelledError('the image build');
    if (err instanceof UserError) throw err;
    throw new UserError(`Building the image from ${image.dockerfile} failed: ${(err as Error).message}`, 'Fix the Dockerfile or the build context, then deploy again.', 'image-build-failed');
  } finally {
    abort.dispose();
  }
}

export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress: string;
}

/**
 * Tags the built image as registry/repository:tag and pushes it. Resolves with the manifest
 * digest the registry reports and the bytes it had to send (layers it already had cost nothing).
 */
export async function pushImage(
  engine: ImageEngine,
  builtRef: string,
  target: { registry: string; repositoryName: string; tag: string },
  auth: RegistryAuth | undefined,
  onBytes: (sent: number, total: number) => void,
  token?: CancellationTokenLike,
): Promise<{ digest: string; pushedBytes: number }> {
  const repo = `${target.registry}/${target.repositoryName}`;
  const abort = abortSignalFor(token);
  try {
    await engine.getImage(builtRef).tag({ repo, tag: target.tag });
    const stream = await engine.getImage(repo).push({ tag: target.tag, authconfig: auth ?? {}, abortSignal: abort.signal });
    const layers = new Map<string, { current: number; total: number }>();
    let digest: string | undefined;
    await followDockerStream(stream, (e: DockerStreamEvent) => {
      if (e.aux?.Digest) digest = e.aux.Digest;
      if (e.id && e.status === 'Pushing' && e.progressDetail?.total) {
        layers.set(e.id, { current: e.progressDetail.current ?? 0, total: e.progressDetail.total });
        let sent = 0;
        let total = 0;
        for (const l of layers.values()) {
          sent += l.current;
          total += l.total;
        }
        onBytes(sent, total);
      }
      if (e.id && e.status === 'Pushed') {
        const l = layers.get(e.id);
        if (l) l.current = l.total;
      }
    });
    if (!digest) throw new Error(`the registry reported no digest for ${repo}:${target.tag}`);
    let pushedBytes = 0;
    for (const l of layers.values()) pushedBytes += l.total;
    return { digest, pushedBytes };
  } catch (err) {
    if (token?.isCancellationRequested) throw new CancelledError('the image push');
    throw new UserError(
      `Pushing ${repo}:${target.tag} failed: ${(err as Error).message}`,
      'Check that the registry is reachable and that you may push to it (for ECR: ecr:InitiateLayerUpload and related permissions).',
      'image-push-failed',
    );
  } finally {
    abort.dispose();
  }
}
