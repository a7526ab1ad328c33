import { closeSync, openSync, readSync } from 'node:fs';
import { exactPattern, type IgnorePattern, isIgnored } from './ignore';

// Files that hold secrets and are almost never meant for a Lambda package: private keys, cloud
// and registry credentials, dotenv files. They stay out of the package unless the code folder's
// .lambdaignore includes them with a `!` pattern, and each one left out is reported.

export type SecretKind = 'private-key' | 'credentials' | 'env-file';

/** Folders whose whole content is secrets: ~/.aws (credentials, SSO tokens) and ~/.ssh (keys). */
const SECRET_DIRS: Readonly<Record<string, SecretKind>> = { '.aws': 'credentials', '.ssh': 'private-key' };

/** Files that are secrets by name alone. */
const SECRET_NAMES: Readonly<Record<string, SecretKind>> = {
  '.netrc': 'credentials',
  _netrc: 'credentials',
  '.git-credentials': 'credentials',
  '.pgpass': 'credentials',
};

/** OpenSSH's default key file names (their .pub halves are public). */
const SSH_KEY = /^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/;
/** Key containers that hold a private key by design. */
const KEY_CONTAINER = /\.(ppk|p12|pfx)$/i;
/** PEM files hold certificates (certifi's cacert.pem ships with requests) or keys: only a key is a secret. */
const PEM_LIKE = /\.(pem|key)$/i;
const PEM_PRIVATE_KEY = /-----BEGIN ((RSA|DSA|EC|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----/;
/** Tokens in .npmrc (_authToken, _auth, _password) and a password in .pypirc. */
const NPMRC_TOKEN = /^\s*(\/\/[^\s=]*:)?_(authToken|auth|password)\s*=/m;
const PYPIRC_PASSWORD = /^\s*password\s*[=:]/m;
/** An AWS shared credentials file copied in under its own name. */
const AWS_KEYS = /^\s*aws_(secret_access_key|session_token)\s*=/im;
/** Templates of dotenv files are meant to be shared. */
const ENV_TEMPLATE = /\.(example|sample|template|dist)$/i;
/** How much of a file is read to tell a key from a certificate. */
const READ_LIMIT = 1024 * 1024;

export function secretDir(name: string): SecretKind | undefined {
  return SECRET_DIRS[name];
}

/** A link's target inside a .aws or .ssh folder (wherever that is) is a secret, whatever it is called. */
export function secretTarget(realPath: string): SecretKind | undefined {
  for (const segment of realPath.split('/').slice(0, -1)) {
    const kind = SECRET_DIRS[segment];
    if (kind) return kind;
  }
  return undefined;
}

/**
 * Whether a file is a secret: by its name, or for names that hold secrets only sometimes
 * (.pem/.key, .npmrc, .pypirc, credentials) by its content. `names` are the link's name and its target's.
 */
export function secretFile(names: readonly string[], path: string): SecretKind | undefined {
  for (const name of names) {
    const byName = SECRET_NAMES[name];
    if (byName) return byName;
    if (SSH_KEY.test(name) || KEY_CONTAINER.test(name)) return 'private-key';
    if (name === '.env' || (name.startsWith('.env.') && !ENV_TEMPLATE.test(name))) return 'env-file';
  }
  for (const name of names) {
    if (PEM_LIKE.test(name)) return PEM_PRIVATE_KEY.test(head(path)) ? 'private-key' : undefined;
    if (name === '.npmrc') return NPMRC_TOKEN.test(head(path)) ? 'credentials' : undefined;
    if (name === '.pypirc') return PYPIRC_PASSWORD.test(head(path)) ? 'credentials' : undefined;
    if (name === 'credentials') return AWS_KEYS.test(head(path)) ? 'credentials' : undefined;
  }
  return undefined;
}

/** Whether a name's secrecy depends on its content, which can change without the name changing. */
export function judgedByContent(name: string): boolean {
  return PEM_LIKE.test(name) || name === '.npmrc' || name === '.pypirc' || name === 'credentials';
}

function head(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(READ_LIMIT);
    const n = readSync(fd, buf, 0, READ_LIMIT, 0);
    return buf.subarray(0, n).toString('latin1');
  } catch {
    // Unreadable: the walk's own read reports it.
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Whether the code folder's .lambdaignore includes a path on purpose: a `!` pattern is the last
 * to match it. Asked as gitignore would decide a path an earlier pattern left out: the path's own
 * anchored pattern first, then the file's.
 */
export function includedOnPurpose(ignore: readonly IgnorePattern[], rel: string, isDir: boolean): boolean {
  if (ignore.length === 0) return false;
  return !isIgnored([exactPattern(rel, isDir), ...ignore], rel, isDir);
}

/** The .lambdaignore line that includes a path on purpose. */
export function includePattern(rel: string, isDir: boolean): string {
  return `!/${rel}${isDir ? '/' : ''}`;
}

export const SECRET_WORDS: Readonly<Record<SecretKind, string>> = {
  'private-key': 'a private key',
  credentials: 'credentials',
  'env-file': 'an env file (often secrets)',
};
