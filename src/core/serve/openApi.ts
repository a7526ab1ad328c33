import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { isIntrinsic, longFormIntrinsic } from '../model/intrinsics';
import type { HttpResourceSpec } from '../model/types';

// The routes an API's OpenAPI definition declares (DefinitionBody inline, or DefinitionUri naming a
// local file), read as SAM CLI's `start-api` reads them (samcli/commands/local/lib/swagger): each
// operation whose x-amazon-apigateway-integration is `aws_proxy` and whose `uri` names a function
// (`!Sub ...${Fn.Arn}...`, `!GetAtt Fn.Arn`, or a literal function ARN). Anything odd is a warning.

type Rec = Record<string, unknown>;

/** One operation of the definition that routes to a function. */
export interface DefinitionOperation {
  /** The function's logical id or FunctionName, as the integration's uri names it. */
  functionName: string;
  /** Upper case, or ANY for x-amazon-apigateway-any-method. */
  method: string;
  /** `/items/{id}`, or `$default` (HTTP APIs). */
  path: string;
  /** As an event's properties say it, so the route is read like an event's (see table.ts). */
  properties: Rec;
}

/** Operations past this many are not read (API Gateway's own quota is 300 routes or resources per API). */
const MAX_OPERATIONS = 3000;
/** A definition file above this size is not read. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method']);

/**
 * The definition document of an API: its DefinitionBody, or the local file its DefinitionUri names
 * (inside the template's folder). Undefined with a warning when there is one that cannot be read;
 * undefined alone when there is none.
 */
export function definitionOf(resource: HttpResourceSpec, warnings: string[]): Rec | undefined {
  const { DefinitionBody: body, DefinitionUri: uri } = resource.properties;
  const name = resource.logicalId;
  if (body !== undefined) {
    if (isRecord(body)) return body;
    warnings.push(`${name}'s DefinitionBody is ${isIntrinsic(body) ? `an intrinsic function (Fn::${body.fn})` : 'not a map'}: its routes are not read; only its functions' events are served.`);
    return undefined;
  }
  if (uri === undefined) return undefined;
  if (typeof uri !== 'string' || /^s3:\/\//i.test(uri)) {
    warnings.push(`${name}'s DefinitionUri is not a local file: its routes are not read; only its functions' events are served.`);
    return undefined;
  }
  const read = readDefinitionFile(resource.templatePath, uri);
  if (typeof read === 'string') {
    warnings.push(`${name}'s DefinitionUri ${uri} ${read}: its routes are not read; only its functions' events are served.`);
    return undefined;
  }
  return read;
}

/** A definition file in the template's folder, parsed (YAML or JSON); why not, as a phrase. */
function readDefinitionFile(templatePath: string, uri: string): Rec | string {
  const folder = dirname(templatePath);
  let path: string;
  try {
    path = realpathSync(resolve(folder, uri));
    const rel = relative(realpathSync(folder), path);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return "is outside the template's folder";
    if (!statSync(path).isFile()) return 'is not a file';
    if (statSync(path).size > MAX_FILE_BYTES) return `is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`;
  } catch {
    return 'cannot be read';
  }
  let doc: unknown;
  try {
    // CloudFormation's short tags (!Sub) are not YAML's: read as plain strings, as SAM CLI reads them too.
    doc = parse(readFileSync(path, 'utf8'), { maxAliasCount: 100, logLevel: 'error', uniqueKeys: false });
  } catch (err) {
    return `is not YAML or JSON (${(err as Error).message.split('\n')[0]})`;
  }
  return isRecord(doc) ? doc : 'is not a map';
}

/**
 * The operations of a definition that route to a function, with what the integration and
 * `security` say: the payload format, the timeout, the authorizer (a route's own `security`, else
 * the document's, else the API's DefaultAuthorizer; `[]` means none).
 */
export function definitionOperations(doc: Rec, apiName: string, http: boolean, warnings: string[]): DefinitionOperation[] {
  const paths = doc.paths;
  if (paths === undefined) return [];
  if (!isRecord(paths)) {
    warnings.push(`${apiName}'s OpenAPI definition has paths that are not a map: its routes are not read.`);
    return [];
  }
  const out: DefinitionOperation[] = [];
  const rootSecurity = doc.security;
  const skipped = { other: 0, bad: [] as string[] };
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const [key, op] of Object.entries(item)) {
      if (!METHODS.has(key.toLowerCase()) || !isRecord(op)) continue;
      const integration = op['x-amazon-apigateway-integration'];
      if (!isRecord(integration)) continue;
      const method = key.toLowerCase() === 'x-amazon-apigateway-any-method' ? 'ANY' : key.toUpperCase();
      const where = `${method} ${path}`;
      if (typeof integration.type !== 'string' || integration.type.toLowerCase() !== 'aws_proxy') {
        skipped.other++;
        continue;
      }
      if (out.length >= MAX_OPERATIONS) {
        warnings.push(`${apiName}'s OpenAPI definition has more than ${MAX_OPERATIONS} operations: only the first ${MAX_OPERATIONS} are served.`);
        return out;
      }
      const problem = pathProblem(path, http);
      if (problem) {
        skipped.bad.push(`${where.slice(0, 200)} (${problem})`);
        continue;
      }
      const functionName = integrationFunction(integration.uri);
      if (!functionName) {
        skipped.bad.push(`${where} (its integration uri names no function: use !Sub ...\${Function.Arn}... or !GetAtt Function.Arn)`);
        continue;
      }
      const properties: Rec = { Path: path === '$default' ? undefined : path, Method: method, Auth: auth(op.security ?? rootSecurity) };
      if (http && typeof integration.payloadFormatVersion === 'string') properties.PayloadFormatVersion = integration.payloadFormatVersion;
      if (typeof integration.timeoutInMillis === 'number') properties.TimeoutInMillis = integration.timeoutInMillis;
      out.push({ functionName, method, path, properties });
    }
  }
  if (skipped.other > 0) warnings.push(`${apiName}'s OpenAPI definition has ${skipped.other} operation${skipped.other === 1 ? '' : 's'} with integrations other than aws_proxy (HTTP, mock): not served.`);
  for (const b of skipped.bad.slice(0, 20)) warnings.push(`${apiName}'s OpenAPI operation ${b}: it is not served.`);
  if (skipped.bad.length > 20) warnings.push(`${apiName}'s OpenAPI definition has ${skipped.bad.length - 20} more operations that are not served.`);
  return out;
}

/**
 * The function an integration uri names, as SAM CLI finds it (samcli/commands/local/lib/swagger/
 * integration_uri.py): `${Fn.Arn}` or `${Fn.Alias}` in an Fn::Sub, a `function:` ARN, or the
 * `/functions/<x>/invocations` of an API Gateway ARN; a stage variable names none. `!GetAtt Fn.Arn`
 * too, as HTTP APIs take a function's ARN as their integration uri.
 */
export function integrationFunction(uri: unknown): string | undefined {
  const intrinsic = isIntrinsic(uri) ? uri : isRecord(uri) ? longFormIntrinsic(uri) : undefined;
  if (intrinsic?.fn === 'GetAtt') {
    const args = Array.isArray(intrinsic.args) ? intrinsic.args : typeof intrinsic.args === 'string' ? intrinsic.args.split('.') : [];
    return typeof args[0] === 'string' && (args[1] === 'Arn' || args[1] === 'Alias') ? args[0] : undefined;
  }
  let text: unknown = uri;
  if (intrinsic?.fn === 'Sub') {
    const template = Array.isArray(intrinsic.args) ? intrinsic.args[0] : intrinsic.args;
    text = typeof template === 'string' ? template.replace(/\$\{([A-Za-z0-9]+)\.(?:Arn|Alias)\}/g, 'arn:aws:lambda:${AWS::Region}:123456789012:function:$1') : undefined;
  } else if (intrinsic) {
    return undefined;
  }
  if (typeof text !== 'string' || text.length > 2048) return undefined;
  const arn = /arn:aws:lambda:[^:]+:[^:]+:function:[^:/]+(?::[^/]+)?/.exec(text)?.[0] ?? /\/functions\/([^/]+)\/invocations/.exec(text)?.[1];
  if (arn === undefined) return undefined;
  const at = arn.lastIndexOf(':function:');
  if (at < 0) return undefined;
  const name = arn.slice(at + ':function:'.length).split(':')[0];
  if (/^\$\{stageVariables\./.test(name)) return undefined;
  return /^[A-Za-z0-9_-]+$/.test(name) ? name : undefined;
}

/** An operation's `security` as an event's Auth: `[]` is NONE, `[{ Name: [scopes] }]` that authorizer. */
function auth(security: unknown): Rec {
  if (!Array.isArray(security)) return {};
  if (security.length === 0) return { Authorizer: 'NONE' };
  const first: unknown = security[0];
  if (!isRecord(first) || Object.keys(first).length !== 1) return { Authorizer: 'an unreadable security requirement' };
  const [[name, scopes]] = Object.entries(first);
  return { Authorizer: name, ...(Array.isArray(scopes) && scopes.length > 0 ? { AuthorizationScopes: scopes } : {}) };
}

/** Why API Gateway would not take this path template, or undefined. */
function pathProblem(path: string, http: boolean): string | undefined {
  if (path === '$default') return http ? undefined : 'a REST API has no $default route';
  if (!path.startsWith('/')) return 'a path begins with /';
  if (path.length > 1024) return 'the path is too long';
  const segments = path.split('/').slice(1);
  const greedy = segments.findIndex((s) => /^\{[^{}]+\+\}$/.test(s));
  if (greedy >= 0 && greedy !== segments.length - 1) return 'a greedy {name+} parameter must be the last segment';
  if (segments.some((s) => /[{}]/.test(s) && !/^\{[A-Za-z0-9._-]+\+?\}$/.test(s))) return 'a parameter must be a whole segment, {name}';
  return undefined;
}

function isRecord(v: unknown): v is Rec {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isIntrinsic(v);
}
