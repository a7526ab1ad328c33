import * as vscode from 'vscode';
import { LAMBDA_REGIONS, listProfiles } from '../../core/deploy/profiles';
import type { Prompts } from '../prompts';
import { readSettings, updateSetting } from '../settings';

/** Lambda: Choose AWS Profile — from the shared config and credentials files. */
export async function chooseProfile(prompts: Prompts): Promise<string | undefined> {
  const profiles = await listProfiles();
  const current = readSettings().aws.profile;
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
    title: 'AWS profile for Lambda Workbench',
    placeHolder: profiles.length ? `Current: ${current || 'default chain'}` : 'No profiles in ~/.aws/config or ~/.aws/credentials: run `aws configure` to create one',
  });
  if (!picked) return undefined;
  await updateSetting('aws.profile', picked.name);
  const profile = profiles.find((p) => p.name === picked.name);
  if (!readSettings().aws.region && !profile?.region) await chooseRegion(prompts);
  return picked.name;
}

/** Lambda: Choose AWS Region. */
export async function chooseRegion(prompts: Prompts): Promise<string | undefined> {
  const current = readSettings().aws.region;
  const picked = await prompts.pick(
    LAMBDA_REGIONS.map((r) => ({ label: r, picked: r === current })),
    { title: 'AWS region for Lambda Workbench', placeHolder: `Current: ${current || "the profile's region"}` },
  );
  if (!picked) return undefined;
  await updateSetting('aws.region', picked.label);
  void vscode.window.setStatusBarMessage(`Lambda Workbench: region ${picked.label}`, 3000);
  return picked.label;
}
