import * as vscode from 'vscode';
import { type AwsProfileInfo, effectiveProfile, LAMBDA_REGIONS, listProfiles } from '../../core/deploy/profiles';
import type { Prompts } from '../prompts';
import { readSettings, updateSetting } from '../settings';

type AwsKey = 'aws.profile' | 'aws.region' | 'aws.endpointUrl';

/**
 * Where a choice is saved: the workspace's settings when they already set it (a user setting
 * would change nothing there), else the user's. The title of each picker says which.
 */
function target(key: AwsKey): { target: vscode.ConfigurationTarget; words: string } {
  const inWorkspace = vscode.workspace.getConfiguration('lambdaWorkbench').inspect(key)?.workspaceValue !== undefined;
  return inWorkspace
    ? { target: vscode.ConfigurationTarget.Workspace, words: "saved in this workspace's settings" }
    : { target: vscode.ConfigurationTarget.Global, words: 'saved in your user settings' };
}

/** Lambda: Choose AWS Profile — from the shared config and credentials files. */
export async function chooseProfile(prompts: Prompts): Promise<string | undefined> {
  const profiles = await listProfiles();
  const current = readSettings().aws.profile;
  const where = target('aws.profile');
  const items = [
    { label: 'Default credential chain', description: 'AWS_PROFILE, environment variables, then the default profile', name: '' },
    ...profiles.map((p) => ({
      label: p.name,
      description: [p.sso ? 'SSO' : p.staticKeys ? 'access keys' : p.roleArn ? 'assumes a role' : p.credentialProcess ? 'credential process' : '', p.region ?? '']
        .filter(Boolean)
        .join(' · '),
      name: p.name,
    })),
  ].map((i) => ({ ...i, picked: i.name === current }));
  const picked = await prompts.pick(items, {
    title: `AWS profile for Lambda Workbench (${where.words})`,
    placeHolder: profiles.length ? `Now: ${current || 'the default credential chain'}` : 'No profiles in ~/.aws/config or ~/.aws/credentials: run `aws configure` to create one',
  });
  if (!picked) return undefined;
  await updateSetting('aws.profile', picked.name, where.target);
  const profile = profiles.find((p) => p.name === picked.name);
  if (!readSettings().aws.region && !profile?.region) await chooseRegion(prompts);
  return picked.name;
}

/** Lambda: Choose AWS Region. */
export async function chooseRegion(prompts: Prompts): Promise<string | undefined> {
  const current = readSettings().aws.region;
  const where = target('aws.region');
  const picked = await prompts.pick(
    LAMBDA_REGIONS.map((r) => ({ label: r, picked: r === current })),
    { title: `AWS region for Lambda Workbench (${where.words})`, placeHolder: `Now: ${await regionNow(current)}` },
  );
  if (!picked) return undefined;
  await updateSetting('aws.region', picked.label, where.target);
  void vscode.window.setStatusBarMessage(`Lambda Workbench: region ${picked.label}`, 3000);
  return picked.label;
}

/** Lambda: Use an AWS Endpoint — every AWS call goes there instead (a local emulator such as LocalStack or moto). */
export async function chooseEndpoint(prompts: Prompts): Promise<string | undefined> {
  const where = target('aws.endpointUrl');
  const url = await prompts.input({
    title: `AWS endpoint for Lambda Workbench (${where.words})`,
    prompt: 'Every AWS call goes to this URL instead of AWS, for example a local emulator (LocalStack: http://localhost:4566). Empty: AWS itself.',
    value: readSettings().aws.endpointUrl || 'http://localhost:4566',
    validateInput: (v) => (v.trim() === '' || /^https?:\/\/[^\s/]+/.test(v.trim()) ? undefined : 'An http:// or https:// URL, or nothing for AWS itself.'),
  });
  if (url === undefined) return undefined;
  await updateSetting('aws.endpointUrl', url.trim(), where.target);
  return url.trim();
}

/** The region in use now and where it comes from, as the SDK would find it. */
async function regionNow(setting: string): Promise<string> {
  if (setting) return `${setting} (the lambdaWorkbench.aws.region setting)`;
  const name = effectiveProfile(readSettings().aws.profile || undefined);
  const profile: AwsProfileInfo | undefined = (await listProfiles()).find((p) => p.name === (name ?? 'default'));
  if (profile?.region) return `${profile.region}, from profile ${profile.name}`;
  if (process.env.AWS_REGION) return `${process.env.AWS_REGION}, from the environment (AWS_REGION)`;
  return 'none is set';
}
