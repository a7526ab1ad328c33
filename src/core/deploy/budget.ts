import { LIMITS } from '../limits';
import { CLI_SOURCES, type SettingSources } from '../sources';

export function formatBytes(n: number): string {
  return `${n.toLocaleString('en-US')} bytes`;
}

/** Why a function with this many layers cannot be deployed, or null. */
export function layerCountRefusal(functionName: string, layerCount: number): string | null {
  if (layerCount <= LIMITS.layersPerFunction) return null;
  return (
    `${functionName} lists ${layerCount} layers; Lambda attaches at most ${LIMITS.layersPerFunction}. ` +
    'Merge layers, or drop the ones the function does not need, in the template.'
  );
}

/** Why a function and its layers are too big once unzipped, or null. */
export function unzippedBudgetRefusal(functionName: string, functionBytes: number, layersBytes: number): string | null {
  const total = functionBytes + layersBytes;
  if (total <= LIMITS.unzippedWithLayersBytes) return null;
  return (
    `${functionName} is ${formatBytes(total)} unzipped (code ${formatBytes(functionBytes)} + layers ${formatBytes(layersBytes)}), ` +
    `over Lambda's limit of ${formatBytes(LIMITS.unzippedWithLayersBytes)} for a function and its layers; nothing was uploaded. ` +
    'Fix: bundle the code (Metadata BuildMethod: esbuild) so only what runs is shipped, ' +
    'move what the function does not need at runtime out of the package and its layers (layers count toward the same limit), ' +
    'or switch to a container image (PackageType: Image, up to 10 GiB).'
  );
}

/** Why an image is too big, or null. */
export function imageSizeRefusal(functionName: string, imageBytes: number): string | null {
  if (imageBytes <= LIMITS.imageBytes) return null;
  return (
    `The image of ${functionName} is ${formatBytes(imageBytes)} uncompressed, over Lambda's limit of ${formatBytes(LIMITS.imageBytes)}; nothing was pushed. ` +
    'Use a smaller base image, a multi-stage build, or remove build tools and caches from the final stage.'
  );
}

/** How a zip of this size reaches Lambda. */
export function uploadRoute(zipBytes: number): 'direct' | 's3' {
  return zipBytes <= LIMITS.zippedDirectUploadBytes ? 'direct' : 's3';
}

export function needsBucketRefusal(name: string, zipBytes: number, sources: Pick<SettingSources, 's3Bucket'> = CLI_SOURCES): string {
  return (
    `The zip of ${name} is ${formatBytes(zipBytes)}, over the ${formatBytes(LIMITS.zippedDirectUploadBytes)} Lambda accepts in the request itself, ` +
    `so it has to go through S3: set a staging bucket (${sources.s3Bucket}).`
  );
}
