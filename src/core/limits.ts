// Lambda quotas and prices, in one place. Bytes are exact: Lambda's "MB" means MiB.

export const LIMITS = {
  /** Largest zip accepted in the CreateFunction/UpdateFunctionCode request itself. */
  zippedDirectUploadBytes: 52_428_800,
  /** The request body carries the zip as base64; this is that encoding of the limit above. */
  directUploadRequestBytes: 69_905_067,
  /** Function code plus all its layers, unzipped. */
  unzippedWithLayersBytes: 262_144_000,
  /** Uncompressed container image. */
  imageBytes: 10_737_418_240,
  layersPerFunction: 5,
  syncPayloadBytes: 6_291_456,
  asyncPayloadBytes: 1_048_576,
  environmentBytes: 4_096,
  consoleEditorBytes: 3_145_728,
  memoryMb: { min: 128, max: 10_240 },
  timeoutSeconds: { min: 1, max: 900 },
  ephemeralStorageMb: { min: 512, max: 10_240 },
} as const;

export type Architecture = 'x86_64' | 'arm64';

/** us-east-1 on-demand prices. Billing is per 1 ms. */
export const PRICES = {
  perRequestUsd: 0.2 / 1_000_000,
  perGbSecondUsd: { x86_64: 0.0000166667, arm64: 0.0000133334 } satisfies Record<Architecture, number>,
} as const;

/** Cost of one invocation billed for `billedMs` at `memoryMb`. */
export function invocationCostUsd(billedMs: number, memoryMb: number, arch: Architecture): number {
  const gbSeconds = (memoryMb / 1024) * (billedMs / 1000);
  return PRICES.perRequestUsd + gbSeconds * PRICES.perGbSecondUsd[arch];
}
