/** The Node.js major version of a Lambda runtime id ('nodejs20.x' -> 20), if it is a Node runtime. */
export function nodeMajor(runtime: string | undefined): number | undefined {
  const m = /^nodejs(\d+)\.x$/.exec(runtime ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * Which AWS SDK for JavaScript the runtime puts on the module path: v3 from nodejs18.x on, v2 before.
 * A bundled copy of the provided SDK only adds bytes (and pins an older version than the runtime's).
 */
export function providedAwsSdk(runtime: string | undefined): 'v2' | 'v3' | undefined {
  const major = nodeMajor(runtime);
  if (major === undefined) return undefined;
  return major >= 18 ? 'v3' : 'v2';
}

/** Package names of the AWS SDK v3 and the libraries only it depends on. */
export function isAwsSdkV3Package(name: string): boolean {
  return name.startsWith('@aws-sdk/') || name.startsWith('@smithy/') || name.startsWith('@aws-crypto/');
}

/** Whether a runtime is an OS-only one (provided, provided.al2, provided.al2023): the function's own bootstrap is its runtime. */
export function isCustomRuntime(runtime: string | undefined): boolean {
  return runtime !== undefined && /^provided(\.al2|\.al2023)?$/.test(runtime);
}

/** The glibc of each OS-only runtime's Amazon Linux (what a custom runtime's binary links against). */
export const CUSTOM_RUNTIME_GLIBC: Readonly<Record<string, string>> = {
  'provided.al2023': '2.34',
  'provided.al2': '2.26',
  provided: '2.17',
};
