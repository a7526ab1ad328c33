import { readdirSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import type Docker from 'dockerode';
import { type CancellationTokenLike, CancelledError } from '../cancel';
import { UserError } from '../errors';
import type { FunctionSpec } from '../model/types';
import { DOCKER_PLATFORM } from './architecture';
import type { Progress } from './images';

/** The tag a locally built function image gets (SAM's convention: the logical id, lower-cased). */
export function localImageTag(fn: Pick<FunctionSpec, 'logicalId' | 'image'>): string {
  return `${fn.logicalId.toLowerCase()}:${fn.image?.dockerTag ?? 'latest'}`;
}

/**
 * Builds an image function from its Dockerfile (Metadata.Dockerfile / DockerContext / DockerTag /
 * DockerBuildArgs) and resolves with the image id. Build output goes to onProgress line by line.
 */
export async function buildFunctionImage(
  docker: Docker,
  fn: FunctionSpec,
  opts: { onProgress?: (p: Progress) => void; onOutput?: (line: string) => void; token?: CancellationTokenLike } = {},
): Promise<string> {
  const meta = fn.image;
  if (!meta) {
    throw new UserError(
      `${fn.logicalId} is an image function without a Dockerfile to build.`,
      'Add Metadata with Dockerfile and DockerContext to the function (as SAM expects), or run an existing image.',
      'image-no-dockerfile',
    );
  }
  const dockerfile = relative(meta.dockerContext, meta.dockerfile);
  if (dockerfile.startsWith('..') || isAbsolute(dockerfile)) {
    throw new UserError(
      `The Dockerfile ${meta.dockerfile} is outside its build context ${meta.dockerContext}.`,
      'Docker sends only the context to the engine: move the Dockerfile into DockerContext.',
      'image-dockerfile-outside',
    );
  }
  let entries: string[];
  try {
    entries = readdirSync(meta.dockerContext);
  } catch (err) {
    throw new UserError(`Cannot read the build context ${meta.dockerContext}: ${(err as Error).message}`, 'Check DockerContext in the template.', 'image-context');
  }
  const tag = localImageTag(fn);
  opts.onProgress?.({ message: `Building ${tag}` });
  const abort = new AbortController();
  const sub = opts.token?.onCancellationRequested(() => abort.abort());
  try {
    const stream = await docker.buildImage(
      { context: meta.dockerContext, src: entries },
      {
        t: tag,
        dockerfile: dockerfile.split('\\').join('/'),
        buildargs: meta.buildArgs ?? {},
        platform: DOCKER_PLATFORM[fn.architecture],
        rm: true,
        // A failed step's container too: a broken Dockerfile must not leave containers behind.
        forcerm: true,
        abortSignal: abort.signal,
      } as Docker.ImageBuildOptions,
    );
    let imageId: string | undefined;
    const output: string[] = [];
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null, events: { error?: string }[]) => {
          const failure = events?.find((e) => e.error)?.error ?? err?.message;
          if (failure) reject(new UserError(`Building ${tag} failed: ${failure.trim()}`, lastLines(output), 'image-build-failed'));
          else resolve();
        },
        (event: { stream?: string; status?: string; aux?: { ID?: string } }) => {
          if (event.aux?.ID) imageId = event.aux.ID;
          const text = (event.stream ?? event.status ?? '').replace(/\n$/, '');
          if (!text) return;
          for (const line of text.split('\n')) {
            output.push(line);
            opts.onOutput?.(line);
          }
          const step = /^Step (\d+)\/(\d+)/.exec(text);
          opts.onProgress?.({ message: `Building ${tag}: ${text.trim().slice(0, 120)}`, percent: step ? Math.floor(((Number(step[1]) - 1) / Number(step[2])) * 100) : undefined });
        },
      );
    });
    if (opts.token?.isCancellationRequested) throw new CancelledError(`building ${tag}`);
    if (imageId) return imageId;
    return ((await docker.getImage(tag).inspect()) as { Id: string }).Id;
  } catch (err) {
    if (opts.token?.isCancellationRequested) throw new CancelledError(`building ${tag}`);
    if (err instanceof UserError) throw err;
    throw new UserError(`Building ${tag} failed: ${(err as Error).message}`, 'Run `docker build` in the context folder to see the full output.', 'image-build-failed');
  } finally {
    sub?.dispose();
  }
}

function lastLines(lines: string[]): string {
  const tail = lines.filter((l) => l.trim()).slice(-8).join('\n');
  return tail ? `The build's last output:\n${tail}` : 'Run `docker build` in the context folder to see the full output.';
}
