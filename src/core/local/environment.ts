import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UserError } from '../errors';
import type { FunctionSpec } from '../model/types';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface EnvironmentInputs {
  functionName: string;
  memoryMb: number;
  region: string;
  handler?: string;
  runtime?: string;
  /** The template's Environment.Variables, merged with Globals. */
  template: Record<string, string>;
  /** Overrides from an env file (see parseEnvFile); they win over the template. */
  overrides?: Record<string, string>;
  /** Passed in only when the user opted in; never part of `env` (see credentialsIn.ts). */
  credentials?: AwsCredentials;
}

/** Variables Lambda sets itself; a template cannot change them (Lambda's API refuses them too). */
export const RESERVED_VARIABLES = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/**
 * Why a variable cannot be given to a container, or undefined when it can. Docker takes the
 * environment as NAME=value strings split at the first '=', and a process's environment cannot
 * hold NUL: a name with '=' would set another variable (AWS_LAMBDA_RUNTIME_API=... included),
 * an empty one or a NUL would be mangled or refused by the engine.
 */
export function unusableVariable(name: string, value: string): string | undefined {
  if (name === '') return 'an empty name';
  if (name.includes('=')) return "a name with '=' in it";
  if (name.includes('\0')) return 'a name with a NUL character in it';
  if (value.includes('\0')) return 'a value with a NUL character in it';
  return undefined;
}

/** The hint for an unusable variable: what names and values can be. */
export const VARIABLE_HINT = 'Name variables with letters, digits and underscores (as Lambda requires), and keep NUL characters out of their values.';

/** Refuses the first unusable variable, saying where it comes from. */
export function checkVariables(vars: Record<string, string>, where: (name: string) => string, code: string): void {
  for (const [name, value] of Object.entries(vars)) {
    const why = unusableVariable(name, value);
    if (why) throw new UserError(`${where(name)}: the variable ${JSON.stringify(name)} has ${why}, which cannot be passed to the function.`, VARIABLE_HINT, code);
  }
}

/** A log stream name the way Lambda makes them: 2024/05/01/[$LATEST]<32 hex>. */
export function logStreamName(now = new Date()): string {
  const d = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${d}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/**
 * The environment of the function's process, as Lambda sets it: its own variables (which the
 * template cannot override), the template's and the env file's. Credentials are not in it: the
 * container gets them on stdin (see credentialsIn.ts).
 * Returns the variables and the names the template tried to set but may not.
 */
export function lambdaEnvironment(inputs: EnvironmentInputs): { env: Record<string, string>; ignored: string[] } {
  const user: Record<string, string> = { ...inputs.template, ...(inputs.overrides ?? {}) };
  // Callers check where the variables come from (prepareFunction, parseEnvFile); this is the last line.
  checkVariables(user, () => 'The function\'s environment', 'env-name');
  const ignored = Object.keys(user).filter((k) => RESERVED_VARIABLES.has(k));
  const env: Record<string, string> = { TZ: ':UTC', LANG: 'en_US.UTF-8' };
  for (const [k, v] of Object.entries(user)) if (!RESERVED_VARIABLES.has(k)) env[k] = v;
  Object.assign(env, {
    AWS_LAMBDA_FUNCTION_NAME: inputs.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(inputs.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${inputs.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: inputs.region,
    AWS_DEFAULT_REGION: inputs.region,
    LAMBDA_TASK_ROOT: '/var/task',
    LAMBDA_RUNTIME_DIR: '/var/runtime',
  });
  if (inputs.runtime) env.AWS_EXECUTION_ENV = `AWS_Lambda_${inputs.runtime}`;
  if (inputs.handler) env._HANDLER = inputs.handler;
  return { env, ignored };
}

/**
 * Reads an env file for one function. Two forms: SAM's JSON ({"Parameters": {...}, "<LogicalId>": {...}},
 * or a flat {"NAME": "value"}), and dotenv lines (NAME=value, # comments, optional quotes, 'export').
 */
export function readEnvFile(path: string, fn: Pick<FunctionSpec, 'logicalId' | 'functionName'>): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`Cannot read the env file ${path}: ${(err as Error).message}`, 'Check the path.', 'env-file');
  }
  return parseEnvFile(text, fn, path);
}

export function parseEnvFile(text: string, fn: Pick<FunctionSpec, 'logicalId' | 'functionName'>, path = 'the env file'): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new UserError(`${path} is not valid JSON: ${(err as Error).message}`, 'Fix the JSON, or use NAME=value lines.', 'env-file');
    }
    const obj = parsed as Record<string, unknown>;
    const sections = ['Parameters', fn.logicalId, ...(fn.functionName ? [fn.functionName] : [])];
    const hasSections = sections.some((s) => typeof obj[s] === 'object' && obj[s] !== null);
    const out: Record<string, string> = {};
    const add = (vars: unknown, section?: string): void => {
      if (typeof vars !== 'object' || vars === null) return;
      const found: Record<string, string> = {};
      for (const [k, v] of Object.entries(vars)) if (v !== null && typeof v !== 'object') found[k] = String(v);
      checkVariables(found, (name) => `${path} ${jsonKeyLine(text, name)}${section ? ` (in "${section}")` : ''}`, 'env-file');
      Object.assign(out, found);
    };
    if (hasSections) for (const s of sections) add(obj[s], s);
    else add(obj);
    return out;
  }
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new UserError(`${path} line ${i + 1} is not NAME=value: ${line}`, 'Use NAME=value lines, or SAM-style JSON.', 'env-file');
    let value = m[2];
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2].replace(/\\n/g, '\n').replace(/\\"/g, '"') : quoted[2];
    else value = value.replace(/\s+#.*$/, '');
    checkVariables({ [m[1]]: value }, () => `${path} line ${i + 1}`, 'env-file');
    out[m[1]] = value;
  });
  return out;
}

/** 'line N' of a key in JSON text (its first appearance as a key), for messages. */
function jsonKeyLine(text: string, key: string): string {
  const at = text.indexOf(`${JSON.stringify(key)}`);
  return at < 0 ? 'at a key' : `line ${text.slice(0, at).split('\n').length}`;
}
