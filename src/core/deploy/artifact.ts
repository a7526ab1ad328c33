import type { CancellationTokenLike } from '../cancel';
import type { FunctionSpec, LayerSpec } from '../model/types';

/** A zip ready to upload (on disk, or written by materialize): what Lambda will report for it, known in advance. */
export interface ZipArtifact {
  /** Absolute path of the zip. */
  path: string;
  /** Size of the zip file. */
  bytes: number;
  /** Base64 SHA-256 of the zip: the value Lambda reports as CodeSha256. */
  codeSha256: string;
  /** Sum of the uncompressed sizes of the zip's entries (what counts against the 262,144,000-byte budget). */
  unzippedBytes: number;
  /**
   * Present when the packager knew the hash without writing the zip (the same inputs were
   * packaged before): writes it to `path`. Only an upload needs the bytes; an unchanged
   * function never pays for writing them.
   */
  materialize?(token: CancellationTokenLike): Promise<void>;
}

/** Makes sure the zip is on disk before it is read for an upload. */
export async function ensureWritten(artifact: ZipArtifact, token: CancellationTokenLike): Promise<void> {
  await artifact.materialize?.(token);
}

/**
 * Builds deploy artifacts. Deploys use the same implementation as the size engine, so the bytes
 * checked against the limits are the bytes uploaded. Writes into `outDir`, which the caller owns.
 */
export interface Packager {
  /**
   * With `maxUnzippedBytes`, a packager that knows the unzipped size before compressing (from its
   * file walk) throws UnzippedBudgetExceeded instead of packaging a function that cannot deploy.
   */
  packageFunction(fn: FunctionSpec, outDir: string, token: CancellationTokenLike, limits?: { maxUnzippedBytes?: number }): Promise<ZipArtifact>;
  packageLayer(layer: LayerSpec, outDir: string, token: CancellationTokenLike): Promise<ZipArtifact>;
}

/** The package would be over the unzipped budget: found before compressing anything. */
export class UnzippedBudgetExceeded extends Error {
  constructor(readonly unzippedBytes: number) {
    super(`the package is ${unzippedBytes} bytes unzipped`);
    this.name = 'UnzippedBudgetExceeded';
  }
}

/**
 * Predicts unzipped sizes without writing a zip, so an over-budget function is refused before
 * it is packaged. Optional: without one, the sizes come from the packaged artifacts.
 */
export interface SizeMeasurer {
  functionUnzippedBytes(fn: FunctionSpec, token: CancellationTokenLike): Promise<number>;
  layerUnzippedBytes(layer: LayerSpec, token: CancellationTokenLike): Promise<number>;
}

/** Hex form of a base64 SHA-256, for object keys and tags (base64 has '/' and '+'). */
export function sha256Hex(codeSha256: string): string {
  return Buffer.from(codeSha256, 'base64').toString('hex');
}
