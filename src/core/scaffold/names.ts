/**
 * Names a new function is known by: its Lambda function name, its template logical id, and the
 * names derived from them for its folder, package and companion resources.
 */

/** Lambda's function name rule (the short form; ARNs are not accepted here). */
export const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;

/** Why `name` cannot be a Lambda function name, or undefined when it can. */
export function functionNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Give the function a name.';
  if (name.length > 64) return `'${name}' is ${name.length} characters long; Lambda allows at most 64.`;
  if (!FUNCTION_NAME.test(name)) {
    const bad = [...new Set(name.replace(/[a-zA-Z0-9\-_]/g, ''))].map((c) => `'${c}'`).join(', ');
    return `'${name}' contains ${bad}; a Lambda function name has only letters, digits, - and _.`;
  }
  if (!/[a-zA-Z0-9]/.test(name)) return `'${name}' has no letter or digit to build the template's logical id from.`;
  return undefined;
}

/** orders-api_v2 -> OrdersApiV2: CloudFormation logical ids are alphanumeric. */
export function logicalIdFor(name: string): string {
  return name
    .split(/[-_]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** CloudFormation's limit on logical ids; names of companion resources add a suffix to the id. */
export const LOGICAL_ID_MAX = 255;

/** npm package names are lower case and may not start with '.', '_' or '-'. */
export function packageNameFor(name: string): string {
  const cleaned = name.toLowerCase().replace(/^[-_]+/, '');
  return cleaned.length > 0 ? cleaned : 'lambda-function';
}

/** A Cargo package name: letters, digits, '-' and '_', starting with a letter. */
export function crateNameFor(name: string): string {
  const cleaned = packageNameFor(name).replace(/^[^a-z]+/, '');
  return cleaned.length > 0 ? cleaned : 'lambda-function';
}

// Java's reserved words and literals: none of them can be a package name.
const JAVA_RESERVED = new Set(
  'abstract assert boolean break byte case catch char class const continue default do double else enum extends false final finally float for goto if implements import instanceof int interface long native new null package private protected public return short static strictfp super switch synchronized this throw throws transient true try void volatile while _'.split(' '),
);

/** A Java package name: lower-case letters and digits, starting with a letter, not a reserved word. */
export function javaPackageFor(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9]+/g, '').replace(/^[0-9]+/, '');
  if (cleaned.length === 0) return 'function';
  return JAVA_RESERVED.has(cleaned) ? `${cleaned}fn` : cleaned;
}

/** A Go module path element: letters, digits, '-', '_' and '.', not starting with '-' or '_'. */
export function goModuleFor(name: string): string {
  return packageNameFor(name);
}

/** An S3 bucket-name-shaped name for samples: 3-63 lower-case letters, digits and hyphens. */
export function bucketNameFor(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return `${base || 'function'}-uploads`;
}

/** A code folder relative to the template: path segments of safe characters, no '..'. */
export function codeDirProblem(dir: string): string | undefined {
  const parts = dir.replace(/\\/g, '/').replace(/\/+$/, '').split('/');
  if (dir.trim() === '' || parts.some((p) => p === '' || p === '.' || p === '..')) {
    return `'${dir}' is not a folder inside the template's folder; give a relative path such as functions/orders.`;
  }
  const bad = parts.find((p) => !/^[A-Za-z0-9._-]+$/.test(p));
  if (bad !== undefined) return `Folder name '${bad}' may hold only letters, digits, '.', '-' and '_'.`;
  return undefined;
}

/** The folder with forward slashes and no trailing slash, as CodeUri and paths in code use it. */
export function normalizeCodeDir(dir: string): string {
  return dir.replace(/\\/g, '/').replace(/\/+$/, '');
}
