import * as vscode from 'vscode';

/** Every setting the product reads, typed, in one place (the manifest's contributes.configuration). */
export interface Settings {
  aws: { profile: string; region: string; endpointUrl: string };
  size: { warnAt: number };
  local: { images: Record<string, string>; idleTimeoutSeconds: number; passAwsCredentials: boolean; envFile: string; runtimeApiAddress: string };
  docker: { host: string };
  deploy: { s3Bucket: string; publishAlias: string; concurrency: number };
}

const SECTION = 'lambdaWorkbench';

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const str = (key: string): string => (c.get<string>(key) ?? '').trim();
  return {
    aws: { profile: str('aws.profile'), region: str('aws.region'), endpointUrl: str('aws.endpointUrl') },
    size: { warnAt: clamp(c.get<number>('size.warnAt') ?? 0.8, 0.1, 1) },
    local: {
      images: c.get<Record<string, string>>('local.images') ?? {},
      idleTimeoutSeconds: Math.max(0, c.get<number>('local.idleTimeoutSeconds') ?? 300),
      passAwsCredentials: c.get<boolean>('local.passAwsCredentials') ?? false,
      envFile: str('local.envFile'),
      runtimeApiAddress: str('local.runtimeApiAddress'),
    },
    docker: { host: str('docker.host') },
    deploy: {
      s3Bucket: str('deploy.s3Bucket'),
      publishAlias: str('deploy.publishAlias'),
      concurrency: clamp(Math.round(c.get<number>('deploy.concurrency') ?? 4), 1, 16),
    },
  };
}

/** Fires when any of the product's settings change. */
export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener();
  });
}

export async function updateSetting(key: string, value: unknown, target = vscode.ConfigurationTarget.Global): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, target);
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
