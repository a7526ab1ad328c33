import { promises as fs } from 'node:fs';
import type { CancellationTokenLike } from '../cancel';
import type { FunctionSpec } from '../model/types';
import { formatBytes } from './format';
import type { ImageSize } from './types';

/** Asks the container engine for an image's uncompressed size; undefined when it does not have the image. */
export interface ImageSizeLookup {
  imageSize(ref: string, token?: CancellationTokenLike): Promise<number | undefined>;
}

/** The tags to look for a built image under: the ImageUri, then SAM's `<logical id lower-cased>:<DockerTag|latest>`. */
export function builtImageRefs(fn: FunctionSpec): string[] {
  const refs: string[] = [];
  if (fn.imageUri) refs.push(fn.imageUri);
  refs.push(`${fn.logicalId.toLowerCase()}:${fn.image?.dockerTag ?? 'latest'}`);
  return refs;
}

/**
 * The image a Dockerfile's final stage builds on, with ARG defaults substituted, following stage
 * names back to an image. Undefined when it cannot tell (a FROM from a build argument without default).
 */
export function finalBaseImage(dockerfile: string, buildArgs: Record<string, string> = {}): string | undefined {
  const args: Record<string, string> = {};
  const stages = new Map<string, string>();
  let last: string | undefined;
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?/i.exec(line);
    if (arg && last === undefined) {
      args[arg[1]] = buildArgs[arg[1]] ?? stripQuotes(arg[2] ?? '');
      continue;
    }
    const from = /^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!from) continue;
    const image = from[1].replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => args[name] ?? '');
    if (image === '' || image.endsWith(':')) return undefined;
    const resolved = stages.get(image.toLowerCase()) ?? image;
    if (from[2]) stages.set(from[2].toLowerCase(), resolved);
    last = resolved;
  }
  return last === 'scratch' ? undefined : last;
}

function stripQuotes(s: string): string {
  return s.replace(/^["'](.*)["']$/, '$1');
}

/**
 * An image function's size: the built image when the engine has it, else the base image plus the
 * build context (an estimate: layers a build adds beyond the copied context are not counted).
 */
export async function imageSize(fn: FunctionSpec, lookup: ImageSizeLookup | undefined, contextBytes: () => Promise<number | null>, token?: CancellationTokenLike): Promise<ImageSize> {
  if (lookup) {
    for (const ref of builtImageRefs(fn)) {
      const bytes = await lookup.imageSize(ref, token).catch(() => undefined);
      if (bytes !== undefined) return { bytes, estimated: false, detail: `built image ${ref}` };
    }
  }
  const context = await contextBytes();
  let base: string | undefined;
  if (fn.image?.dockerfile) {
    try {
      base = finalBaseImage(await fs.readFile(fn.image.dockerfile, 'utf8'), fn.image.buildArgs);
    } catch {
      base = undefined;
    }
  }
  const baseBytes = base && lookup ? await lookup.imageSize(base, token).catch(() => undefined) : undefined;
  if (baseBytes !== undefined && context !== null) {
    return { bytes: baseBytes + context, estimated: true, detail: `no built image found; base image ${base} (${formatBytes(baseBytes)}) plus the build context (${formatBytes(context)})` };
  }
  const why = !lookup ? 'no container engine to ask' : base ? `the base image ${base} is not available locally` : 'the Dockerfile\'s base image could not be determined';
  return { bytes: null, estimated: true, detail: `no built image found and ${why}${context !== null ? `; the build context alone is ${formatBytes(context)}` : ''}` };
}
