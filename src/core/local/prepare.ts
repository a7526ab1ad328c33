import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { BuildEngine } from '../build/engine';
import type { CancellationTokenLike } from '../cancel';
import { unpackedArchive } from '../archive/unpacked';
import { UserError } from '../errors';
import { LIMITS } from '../limits';
import { functionKey } from '../model/key';
import type { FunctionSpec } from '../model/types';
import { type AwsCredentials, checkVariables, type EnvironmentInputs, readEnvFile } from './environment';
import { isCustomRuntime } from '../model/runtimes';
import { customRuntimeEntrypoint } from './customRuntime';
import { fingerprint } from './fingerprint';
import { buildFunctionImage } from './imageBuild';
import { type ImageChoice, imageForRuntime, type Progress } from './images';
import type { LayerCache } from './layerCache';
import { layerFolders, optFolder } from './layers';

/** What a container for this function is made of, and the identity that decides cold vs warm. */
export interface PreparedFunction {
  /** One warm pool per function: its template and logical id. */
  key: string;
  /** Changes whenever the code, layers, image or configuration change: then the next invoke is cold. */
  fingerprint: string;
  image: ImageChoice & { runtime?: string };
  /** Built from a Dockerfile: already on the engine. */
  built: boolean;
  cmd?: string[];
  /** Replaces the image's entrypoint (a custom runtime's bootstrap, see customRuntime.ts). */
  entrypoint?: string[];
  binds: string[];
  /** The folder mounted at /var/task (zip functions). */
  codeDir?: string;
  memoryMb: number;
  timeoutSeconds: number;
  envInputs: EnvironmentInputs;
  warnings: string[];
}

export interface PrepareOptions {
  codeDir?: string;
  envFile?: string;
  envOverrides?: Record<string, string>;
  memoryMb?: number;
  timeoutSeconds?: number;
  /** A caller-supplied version of what is mounted (a file watcher's counter): skips walking the code and layer folders. */
  codeVersion?: string;
  /** The build's name for the artifact mounted as the code folder (FunctionBuild.artifactVersion): skips walking that folder. */
  artifactVersion?: string;
  token?: CancellationTokenLike;
  onProgress?: (p: Progress) => void;
  onBuildOutput?: (line: string) => void;
}

export interface PrepareContext {
  docker: Docker;
  cacheDir: string;
  images: Readonly<Record<string, string>>;
  /** Where a person maps a runtime to another image, for messages. */
  imagesSource?: string;
  layers: LayerCache;
  /** Builds template layers with a BuildMethod: /opt gets their artifacts, as deploy uploads them. */
  builds?: Pick<BuildEngine, 'build'>;
  region: string;
  credentials?: AwsCredentials;
  /** Extra values that make containers different (network mode, CPU mode). */
  salt: unknown;
  /** Images built per function, by the fingerprint of their build context. */
  builtImages: Map<string, { contextFingerprint: string; imageId: string }>;
}

export { functionKey };

export async function prepareFunction(ctx: PrepareContext, fn: FunctionSpec, opts: PrepareOptions): Promise<PreparedFunction> {
  const key = functionKey(fn);
  const memoryMb = opts.memoryMb ?? fn.memorySize;
  const timeoutSeconds = opts.timeoutSeconds ?? fn.timeout;
  if (!Number.isInteger(memoryMb) || memoryMb < LIMITS.memoryMb.min || memoryMb > LIMITS.memoryMb.max) {
    throw new UserError(`MemorySize ${memoryMb} of ${fn.logicalId} is outside Lambda's range (${LIMITS.memoryMb.min}-${LIMITS.memoryMb.max} MB).`, 'Fix MemorySize in the template.', 'memory-size');
  }
  if (!(timeoutSeconds >= LIMITS.timeoutSeconds.min && timeoutSeconds <= LIMITS.timeoutSeconds.max)) {
    throw new UserError(`Timeout ${timeoutSeconds} of ${fn.logicalId} is outside Lambda's range (1-900 seconds).`, 'Fix Timeout in the template.', 'timeout');
  }
  const functionName = fn.functionName ?? fn.logicalId;
  checkVariables(fn.environment, (name) => `${fn.templatePath}${lineOf(fn, name)}: Environment.Variables of ${fn.logicalId}`, 'env-name');
  const overrides = opts.envFile ? readEnvFile(opts.envFile, fn) : {};
  checkVariables(opts.envOverrides ?? {}, () => 'The environment given for this run', 'env-name');
  Object.assign(overrides, opts.envOverrides ?? {});
  const warnings: string[] = [];

  if (fn.packageType === 'Image') {
    let image: ImageChoice & { runtime?: string };
    let built = false;
    let folders: string[] = [];
    if (fn.image) {
      const contextFingerprint = await fingerprint({ folders: [fn.image.dockerContext], values: fn.image });
      let cached = ctx.builtImages.get(key);
      if (!cached || cached.contextFingerprint !== contextFingerprint) {
        const imageId = await buildFunctionImage(ctx.docker, fn, { onProgress: opts.onProgress, onOutput: opts.onBuildOutput, token: opts.token });
        cached = { contextFingerprint, imageId };
        ctx.builtImages.set(key, cached);
      }
      image = { image: cached.imageId, overridden: true };
      built = true;
      folders = [];
    } else if (fn.imageUri) {
      image = { image: fn.imageUri, overridden: false };
    } else {
      throw new UserError(
        `${fn.logicalId} is an image function with neither a Dockerfile (Metadata) nor an ImageUri.`,
        'Add Metadata.Dockerfile and Metadata.DockerContext (as SAM expects), or ImageUri.',
        'image-missing',
      );
    }
    const envInputs: EnvironmentInputs = { functionName, memoryMb, region: ctx.region, template: fn.environment, overrides, credentials: ctx.credentials };
    return {
      key,
      fingerprint: await fingerprint({ folders, values: { image, envInputs: { ...envInputs, credentials: Boolean(envInputs.credentials) }, memoryMb, timeoutSeconds, salt: ctx.salt } }),
      image,
      built,
      binds: [],
      memoryMb,
      timeoutSeconds,
      envInputs,
      warnings,
    };
  }

  if (!fn.handler) {
    throw new UserError(`${fn.logicalId} has no Handler.`, 'Set Handler on the function (e.g. app.handler), or in Globals.Function.', 'no-handler');
  }
  const image = { ...imageForRuntime(fn.runtime, ctx.images, ctx.imagesSource), runtime: fn.runtime };
  const codeDir = await codeFolder(ctx, fn, opts.codeDir);
  const layers = await layerFolders(fn, { cache: ctx.layers, builds: ctx.builds }, opts.token);
  warnings.push(...layers.warnings);
  const opt = await optFolder(layers.folders, join(ctx.cacheDir, 'opt', createHash('sha256').update(key).digest('hex').slice(0, 16)));
  const entrypoint = isCustomRuntime(fn.runtime) ? customRuntimeEntrypoint(fn, codeDir, layers.folders) : undefined;
  const binds = [`${codeDir}:/var/task:ro`];
  if (opt) binds.push(`${opt}:/opt:ro`);
  const envInputs: EnvironmentInputs = {
    functionName,
    memoryMb,
    region: ctx.region,
    handler: fn.handler,
    runtime: fn.runtime,
    template: fn.environment,
    overrides,
    credentials: ctx.credentials,
  };
  // The caller's version stands for everything mounted (its watcher sees the layers too); a build's
  // version stands for the code folder only, and the layers are read.
  const folders = opts.codeVersion !== undefined ? [] : opts.artifactVersion !== undefined ? layers.folders : [codeDir, ...layers.folders];
  return {
    key,
    fingerprint: await fingerprint({
      folders,
      values: { codeVersion: opts.codeVersion, artifactVersion: opts.artifactVersion, image, binds, entrypoint, envInputs: { ...envInputs, credentials: Boolean(envInputs.credentials) }, memoryMb, timeoutSeconds, salt: ctx.salt },
    }),
    image,
    built: false,
    ...(entrypoint ? { entrypoint, cmd: [] } : { cmd: [fn.handler] }),
    binds,
    codeDir,
    memoryMb,
    timeoutSeconds,
    envInputs,
    warnings,
  };
}

/**
 * The folder mounted at /var/task: the caller's (a build output), the CodeUri folder, a CodeUri
 * archive (.zip, .jar) unpacked, or inline code written out.
 */
async function codeFolder(ctx: PrepareContext, fn: FunctionSpec, override: string | undefined): Promise<string> {
  const dir = override ?? fn.codeUri;
  if (dir) {
    if (!override && /\.(zip|jar)$/i.test(dir) && existsSync(dir) && statSync(dir).isFile()) {
      return unpackedArchive(dir, join(ctx.cacheDir, 'archives'), `${fn.logicalId}'s CodeUri ${dir}`);
    }
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new UserError(`The code folder ${dir} of ${fn.logicalId} does not exist.`, 'Fix CodeUri in the template (it is relative to the template), or build the function first.', 'code-missing');
    }
    return dir;
  }
  if (fn.inlineCode !== undefined) {
    const ext = fn.runtime?.startsWith('python') ? 'py' : 'js';
    const folder = join(ctx.cacheDir, 'inline', createHash('sha256').update(fn.inlineCode).digest('hex').slice(0, 16));
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `index.${ext}`);
    if (!existsSync(file)) writeFileSync(file, fn.inlineCode);
    return folder;
  }
  if (fn.s3Code) {
    throw new UserError(
      `The code of ${fn.logicalId} is in S3 (s3://${fn.s3Code.bucket}/${fn.s3Code.key}); a local run needs it in a folder.`,
      'Point CodeUri at the local code folder to run it here.',
      'code-in-s3',
    );
  }
  throw new UserError(`${fn.logicalId} has no code: neither CodeUri nor inline code.`, 'Set CodeUri to the folder with the handler.', 'code-missing');
}

/** ' line N' where the template sets the variable (or its Environment), when the model knows. */
function lineOf(fn: FunctionSpec, name: string): string {
  const range = fn.ranges.properties[`Environment.Variables.${name}`] ?? fn.ranges.properties.Environment;
  return range ? ` line ${range.start.line + 1}` : '';
}
