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
