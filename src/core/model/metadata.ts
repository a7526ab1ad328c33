import { resolve } from 'node:path';
import { isIntrinsic } from './intrinsics';
import type { BuildMetadata, EsbuildProperties, ImageMetadata } from './types';

type Metadata = Record<string, unknown>;

/** SAM's build metadata: Metadata.BuildMethod and its BuildProperties (typed for esbuild, as written for all). */
export function readBuildMetadata(metadata: Metadata): BuildMetadata | undefined {
  const method = metadata.BuildMethod;
  if (typeof method !== 'string' || method === '') return undefined;
  const build: BuildMetadata = { method };
  const properties = asRecord(metadata.BuildProperties);
  if (method === 'esbuild') build.esbuild = readEsbuildProperties(properties);
  if (Object.keys(properties).length > 0) build.properties = properties;
  const architecture = metadata.BuildArchitecture;
  if (architecture === 'x86_64' || architecture === 'arm64') build.architecture = architecture;
  return build;
}

function readEsbuildProperties(p: Metadata): EsbuildProperties {
  const out: EsbuildProperties = {};
  const entryPoints = stringList(p.EntryPoints);
  if (entryPoints) out.entryPoints = entryPoints;
  const external = stringList(p.External);
  if (external) out.external = external;
  const minify = bool(p.Minify);
  if (minify !== undefined) out.minify = minify;
  if (typeof p.Target === 'string') out.target = p.Target;
  const sourcemap = bool(p.Sourcemap);
  if (sourcemap !== undefined) out.sourcemap = sourcemap;
  if (p.Format === 'esm' || p.Format === 'cjs') out.format = p.Format;
  const mainFields = stringList(p.MainFields);
  if (mainFields) out.mainFields = mainFields;
  const loader = stringList(p.Loader);
  if (loader) out.loader = loader;
  return out;
}

/**
 * An image function's build inputs: DockerContext resolved against the template's folder and the
 * Dockerfile against the context (that is how SAM hands them to `docker build`).
 */
export function readImageMetadata(metadata: Metadata, templateDir: string): ImageMetadata | undefined {
  const { Dockerfile, DockerContext, DockerTag, DockerBuildArgs } = metadata;
  if (typeof Dockerfile !== 'string' && typeof DockerContext !== 'string') return undefined;
  const dockerContext = resolve(templateDir, typeof DockerContext === 'string' ? DockerContext : '.');
  const image: ImageMetadata = {
    dockerfile: resolve(dockerContext, typeof Dockerfile === 'string' ? Dockerfile : 'Dockerfile'),
    dockerContext,
  };
  if (typeof DockerTag === 'string' || typeof DockerTag === 'number') image.dockerTag = String(DockerTag);
  const args = asRecord(DockerBuildArgs);
  if (Object.keys(args).length > 0) image.buildArgs = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)]));
  return image;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !isIntrinsic(value) ? (value as Record<string, unknown>) : {};
}

/** A list of strings; a lone string (as people sometimes write External: x) counts as a list of one. */
function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === 'string');
}

/** YAML booleans, plus the strings 'true'/'false' that quoted templates carry. */
function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}
