import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors';
import { CLI_SOURCES, type SettingSources } from '../sources';
import { type EngineEndpoint, parseDockerHost } from './dockerHost';

interface ContextMeta {
  Name?: string;
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

/**
 * The engine of the current docker context, or undefined for the 'default' context (which means
 * "the default socket"). The docker CLI stores a context under contexts/meta/<sha256(name)>/meta.json
 * and its TLS files under contexts/tls/<sha256(name)>/docker/.
 */
export function readContextEndpoint(
  configDir: string,
  contextFromEnv: string | undefined,
  sources: Pick<SettingSources, 'chooseDockerHost'> = CLI_SOURCES,
): EngineEndpoint | undefined {
  const configPath = join(configDir, 'config.json');
  let name = contextFromEnv;
  let nameSource = 'DOCKER_CONTEXT';
  if (!name) {
    name = readCurrentContext(configPath, sources);
    nameSource = configPath;
  }
  if (!name || name === 'default') return undefined;

  const id = createHash('sha256').update(name).digest('hex');
  const metaPath = join(configDir, 'contexts', 'meta', id, 'meta.json');
  let meta: ContextMeta;
  try {
    meta = JSON.parse(readFileSync(metaPath, 'utf8')) as ContextMeta;
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UserError(
      missing
        ? `The docker context '${name}' (from ${nameSource}) does not exist.`
        : `The docker context '${name}' could not be read (${metaPath}): ${(err as Error).message}`,
      `Run 'docker context ls' to see your contexts and 'docker context use <name>' to pick one, or choose an engine (${sources.chooseDockerHost}).`,
      'docker-context-missing',
    );
  }
  const host = meta.Endpoints?.docker?.Host;
  if (!host) return undefined;
  const endpoint = parseDockerHost(host, `docker context '${name}'`);
  endpoint.context = name;
  if (endpoint.kind === 'tcp') {
    const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
    const pem = (file: string): string | undefined => (existsSync(join(tlsDir, file)) ? join(tlsDir, file) : undefined);
    const caPath = pem('ca.pem');
    const certPath = pem('cert.pem');
    const keyPath = pem('key.pem');
    if (caPath || certPath || keyPath || endpoint.tls) {
      endpoint.tls = { verify: !meta.Endpoints?.docker?.SkipTLSVerify, caPath, certPath, keyPath };
    }
  }
  return endpoint;
}

function readCurrentContext(configPath: string, sources: Pick<SettingSources, 'chooseDockerHost'>): string | undefined {
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const config = JSON.parse(text) as { currentContext?: unknown };
    return typeof config.currentContext === 'string' && config.currentContext ? config.currentContext : undefined;
  } catch (err) {
    throw new UserError(
      `The docker CLI configuration ${configPath} is not valid JSON: ${(err as Error).message}`,
      `Fix or remove the file (docker recreates it), or choose an engine (${sources.chooseDockerHost}).`,
      'docker-config-invalid',
    );
  }
}
