import type Docker from 'dockerode';
import { type CancellationTokenLike, CancelledError } from '../cancel';
import { UserError } from '../errors';
import { CLI_SOURCES } from '../sources';
import type { Architecture } from '../limits';
import { DOCKER_PLATFORM, IMAGE_ARCH, imageArchitectureError } from './architecture';

/** Progress of a slow step (pull, build, container start), for a progress bar. */
export interface Progress {
  message: string;
  /** 0-100 when the step knows how far it is. */
  percent?: number;
}

const ECR = 'public.ecr.aws/lambda';

/** Each managed runtime's AWS base image (multi-architecture tags; the platform is chosen at pull). */
export const BASE_IMAGES: Readonly<Record<string, string>> = {
  'nodejs18.x': `${ECR}/nodejs:18`,
  'nodejs20.x': `${ECR}/nodejs:20`,
  'nodejs22.x': `${ECR}/nodejs:22`,
  'nodejs24.x': `${ECR}/nodejs:24`,
  'python3.9': `${ECR}/python:3.9`,
  'python3.10': `${ECR}/python:3.10`,
  'python3.11': `${ECR}/python:3.11`,
  'python3.12': `${ECR}/python:3.12`,
  'python3.13': `${ECR}/python:3.13`,
  'python3.14': `${ECR}/python:3.14`,
  'java8.al2': `${ECR}/java:8.al2`,
  java11: `${ECR}/java:11`,
  java17: `${ECR}/java:17`,
  java21: `${ECR}/java:21`,
  java25: `${ECR}/java:25`,
  dotnet8: `${ECR}/dotnet:8`,
  dotnet10: `${ECR}/dotnet:10`,
  'ruby3.2': `${ECR}/ruby:3.2`,
  'ruby3.3': `${ECR}/ruby:3.3`,
  'ruby3.4': `${ECR}/ruby:3.4`,
  'provided.al2': `${ECR}/provided:al2`,
  'provided.al2023': `${ECR}/provided:al2023`,
};


export interface ImageChoice {
  image: string;
  /** The image came from the caller's runtime -> image map, not the AWS base image. */
  overridden: boolean;
}

/** The image a runtime runs in: the caller's mapping (setting, --image) wins over the AWS base image. */
export function imageForRuntime(runtime: string | undefined, overrides: Readonly<Record<string, string>> = {}, mapIn = CLI_SOURCES.images): ImageChoice {
  if (!runtime) {
    throw new UserError('The function has no Runtime, so there is no image to run it in.', 'Set Runtime on the function (or in Globals.Function), e.g. nodejs22.x.', 'no-runtime');
  }
  const override = overrides[runtime]?.trim();
  if (override) return { image: override, overridden: true };
  const base = BASE_IMAGES[runtime];
  if (!base) {
    throw new UserError(
      `There is no Lambda base image for the runtime '${runtime}'.`,
      `Map it to an image that runs it (${mapIn}).`,
      'unknown-runtime',
    );
  }
  return { image: base, overridden: false };
}

/**
 * Makes sure the image is on the engine, pulling it (with progress) when it is missing or is
 * for another architecture. A mapped image is used as it is (its owner chose it), but one made
 * for another CPU than the function's is refused: it would run the function on the wrong CPU
 * (under emulation, where the engine has it), or not at all.
 */
export async function ensureImage(
  docker: Docker,
  choice: ImageChoice & { runtime?: string; architecture: Architecture },
  opts: { onProgress?: (p: Progress) => void; token?: CancellationTokenLike; mapIn?: string } = {},
): Promise<void> {
  const existing = await docker
    .getImage(choice.image)
    .inspect()
    .catch((err: { statusCode?: number }) => {
      if (err.statusCode === 404) return undefined;
      throw err;
    });
  const mapIn = opts.mapIn ?? CLI_SOURCES.images;
  const refuseOtherCpu = (imageArchitecture: string | undefined): void => {
    if (choice.overridden && imageArchitecture && imageArchitecture !== IMAGE_ARCH[choice.architecture]) {
      throw imageArchitectureError({ image: choice.image, imageArchitecture, architecture: choice.architecture, runtime: choice.runtime, mapIn });
    }
  };
  refuseOtherCpu(existing?.Architecture);
  if (existing && (choice.overridden || !existing.Architecture || existing.Architecture === IMAGE_ARCH[choice.architecture])) return;
  await pullImage(docker, choice, choice.overridden ? undefined : DOCKER_PLATFORM[choice.architecture], opts);
  if (choice.overridden) refuseOtherCpu((await docker.getImage(choice.image).inspect()).Architecture);
}

async function pullImage(
  docker: Docker,
  { image, runtime }: ImageChoice & { runtime?: string },
  platform: string | undefined,
  opts: { onProgress?: (p: Progress) => void; token?: CancellationTokenLike; mapIn?: string },
): Promise<void> {
  const mapIn = opts.mapIn ?? CLI_SOURCES.images;
  const failed = (reason: string): UserError =>
    new UserError(
      `The image ${image} is not on this Docker engine and pulling it failed: ${reason}`,
      `Pull it where its registry is reachable (\`docker pull ${platform ? `--platform ${platform} ` : ''}${image}\`)` +
        (runtime ? `, or map ${runtime} to an image you have (${mapIn}).` : '.'),
      'image-pull-failed',
    );
  opts.onProgress?.({ message: `Pulling ${image}`, percent: 0 });
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(image, platform ? { platform } : {});
  } catch (err) {
    throw failed(pullReason(err));
  }
  const layers = new Map<string, { current: number; total: number }>();
  await new Promise<void>((resolve, reject) => {
    const sub = opts.token?.onCancellationRequested(() => {
      (stream as NodeJS.ReadableStream & { destroy?(): void }).destroy?.();
      reject(new CancelledError(`pulling ${image}`));
    });
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: { error?: string }[]) => {
        sub?.dispose();
        const streamError = output?.find((o) => o.error)?.error;
        if (err || streamError) reject(failed(streamError ?? pullReason(err)));
        else resolve();
      },
      (event: { id?: string; status?: string; progressDetail?: { current?: number; total?: number } }) => {
        if (event.id && event.progressDetail?.total) layers.set(event.id, { current: event.progressDetail.current ?? 0, total: event.progressDetail.total });
        let current = 0;
        let total = 0;
        for (const l of layers.values()) {
          current += l.current;
          total += l.total;
        }
        opts.onProgress?.({ message: `Pulling ${image}: ${event.status ?? ''}`.trim(), percent: total ? Math.floor((current / total) * 100) : undefined });
      },
    );
  });
}

function pullReason(err: unknown): string {
  const json = (err as { json?: { message?: string } } | undefined)?.json;
  const message = json?.message ?? (err instanceof Error ? err.message : String(err));
  // docker-modem prefixes the engine's own words with "(HTTP code 500) server error - ".
  return message.replace(/^\(HTTP code \d+\) [^-]*- /, '').replace(/\s+$/, '');
}
