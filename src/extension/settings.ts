import * as vscode from 'vscode';
import { MAX_MIN_WARM } from '../core/local/warmPool';
import { DEFAULT_SETTINGS as D, RESTRICTED_SETTINGS, type Settings } from '../core/open/settings';

export type { Settings } from '../core/open/settings';

const SECTION = 'lambdaWorkbench';

const RESTRICTED = new Set(RESTRICTED_SETTINGS);

/**
 * Every setting the product reads, typed, in one place (the manifest's contributes.configuration).
 * In an untrusted workspace the restricted ones (see RESTRICTED_SETTINGS) take the user's value or
 * the default, never the workspace's: whatever the editor does with restrictedConfigurations, a
 * cloned repository's .vscode/settings.json cannot send code or secrets elsewhere.
 */
export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const all = vscode.workspace.getConfiguration(SECTION, scope);
  const trusted = vscode.workspace.isTrusted;
  const c = {
    get<T>(key: string): T | undefined {
      if (trusted || !RESTRICTED.has(key)) return all.get<T>(key);
      const values = all.inspect<T>(key);
      return values?.globalValue ?? values?.defaultValue;
    },
  };
  const str = (key: string): string => (c.get<string>(key) ?? '').trim();
  return {
    aws: { profile: str('aws.profile'), region: str('aws.region'), endpointUrl: str('aws.endpointUrl') },
    size: { warnAt: clamp(c.get<number>('size.warnAt') ?? D.size.warnAt, 0.1, 1) },
    local: {
      images: c.get<Record<string, string>>('local.images') ?? D.local.images,
      idleTimeoutSeconds: Math.max(0, c.get<number>('local.idleTimeoutSeconds') ?? D.local.idleTimeoutSeconds),
      passAwsCredentials: c.get<boolean>('local.passAwsCredentials') ?? D.local.passAwsCredentials,
      envFile: str('local.envFile'),
      runtimeApiAddress: str('local.runtimeApiAddress'),
      // Warm containers run the workspace's code: none until it is trusted.
      minWarm: trusted ? clamp(Math.round(c.get<number>('local.minWarm') ?? D.local.minWarm), 0, MAX_MIN_WARM) : 0,
    },
    docker: { host: str('docker.host') },
    deploy: {
      s3Bucket: str('deploy.s3Bucket'),
      publishAlias: str('deploy.publishAlias'),
      concurrency: clamp(Math.round(c.get<number>('deploy.concurrency') ?? D.deploy.concurrency), 1, 16),
    },
    build: { pipArgs: strings(c.get('build.pipArgs')), npmArgs: strings(c.get('build.npmArgs')), mavenArgs: strings(c.get('build.mavenArgs')) },
    serve: {
      port: clamp(Math.round(c.get<number>('serve.port') ?? D.serve.port), 0, 65_535),
      warmContainers: clamp(Math.round(c.get<number>('serve.warmContainers') ?? D.serve.warmContainers), 0, 100),
      concurrency: clamp(Math.round(c.get<number>('serve.concurrency') ?? D.serve.concurrency), 1, 1000),
    },
  };
}

/** Fires when any of the product's settings change, and when trust is granted (the workspace's values of restricted settings then count). */
export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) listener();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(listener),
  );
}

export async function updateSetting(key: string, value: unknown, target = vscode.ConfigurationTarget.Global): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, target);
}

/** A list setting's strings, whatever else a hand-edited settings.json put in it. */
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
