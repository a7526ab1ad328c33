import type * as vscode from 'vscode';
import { UserError } from '../core/errors';

/** A button on an error: the command that fixes it. */
export type ErrorAction = vscode.Command;

const chooseProfile: ErrorAction = { title: 'Choose AWS Profile', command: 'lambdaWorkbench.chooseProfile' };
const chooseRegion: ErrorAction = { title: 'Choose AWS Region', command: 'lambdaWorkbench.chooseRegion' };
export const openSetting = (key: string): ErrorAction => ({ title: 'Open Setting', command: 'workbench.action.openSettings', arguments: [`lambdaWorkbench.${key}`] });

/** Problems another profile fixes: missing, expired or rejected credentials, and missing permissions. */
export const PROFILE_PROBLEMS: readonly string[] = [
  'aws-profile-missing',
  'aws-credentials-missing',
  'aws-credentials-expired',
  'aws-credentials-rejected',
  'aws-sso-expired',
  'aws-access-denied',
  'layer-no-downloader',
];

/** By a UserError's code: what the person does about it in the editor. */
const BY_CODE: Record<string, ErrorAction> = {
  ...Object.fromEntries(PROFILE_PROBLEMS.map((code) => [code, chooseProfile])),
  'aws-region-missing': chooseRegion,
  'unknown-runtime': openSetting('local.images'),
  'image-pull-failed': openSetting('local.images'),
  'build-image-missing': openSetting('local.images'),
  'build-image-failed': openSetting('local.images'),
  'debugpy-missing': openSetting('local.images'),
  'build-no-wheel': openSetting('build.pipArgs'),
  'build-index': openSetting('build.pipArgs'),
  'env-file': openSetting('local.envFile'),
  'bucket-not-set': openSetting('deploy.s3Bucket'),
  'docker-bad-host': openSetting('docker.host'),
  'docker-unreachable': openSetting('docker.host'),
  'docker-timeout': openSetting('docker.host'),
  'docker-context-missing': openSetting('docker.host'),
  'docker-config-invalid': openSetting('docker.host'),
  'build-image-remote': openSetting('docker.host'),
  'debug-remote-engine': openSetting('docker.host'),
  'runtime-api-address': openSetting('local.runtimeApiAddress'),
  'runtime-api-unreachable': openSetting('local.runtimeApiAddress'),
  'no-bridge-network': openSetting('local.runtimeApiAddress'),
  'engine-route': openSetting('local.runtimeApiAddress'),
};

/** The button that fixes this error, when a setting or a command of the editor does. */
export function errorAction(err: unknown): ErrorAction | undefined {
  if (!(err instanceof UserError) || !err.code) return undefined;
  if (err.code === 'aws-unreachable' && /endpoint/.test(err.message)) return openSetting('aws.endpointUrl');
  return codeAction(err.code);
}

/** The button for a UserError code (a deploy refusal carries only the code of what stopped it). */
export function codeAction(code: string | undefined): ErrorAction | undefined {
  return code ? BY_CODE[code] : undefined;
}
