import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** One profile from the shared AWS files, as much as a picker and an error message need. */
export interface AwsProfileInfo {
  name: string;
  /** Which of the two shared files mention it. */
  sources: ('config' | 'credentials')[];
  region?: string;
  /** Signs in through IAM Identity Center: `aws sso login` refreshes it. */
  sso: boolean;
  /** Has aws_access_key_id in either file. */
  staticKeys: boolean;
  /** Assumes a role from another profile or credential source. */
  roleArn?: string;
  credentialProcess?: string;
}

/** The shared files the SDK reads, honouring the same environment variables it does. */
export function sharedFilePaths(env: NodeJS.ProcessEnv = process.env): { config: string; credentials: string } {
  const home = env.HOME || env.USERPROFILE || homedir();
  const expand = (p: string): string => (p.startsWith('~/') ? join(home, p.slice(2)) : p);
  return {
    config: expand(env.AWS_CONFIG_FILE || join(home, '.aws', 'config')),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials')),
  };
}

type IniSections = Map<string, Map<string, string>>;

/** INI as the AWS CLI writes it: `[section]`, `key = value`, `#`/`;` comments, indented sub-keys. */
export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\uFEFF/, '');
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]/.exec(trimmed);
    if (header) {
      current = sections.get(header[1]) ?? new Map();
      sections.set(header[1], current);
      continue;
    }
    // Indented lines belong to a nested block (e.g. `s3 =` settings): not profile-level keys.
    if (!current || /^\s/.test(line)) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) continue;
    current.set(trimmed.slice(0, eq).trim().toLowerCase(), trimmed.slice(eq + 1).trim());
  }
  return sections;
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

/** Every profile in the shared config and credentials files, sorted with `default` first. */
export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<AwsProfileInfo[]> {
  const paths = sharedFilePaths(env);
  const [config, credentials] = await Promise.all([readOptional(paths.config), readOptional(paths.credentials)]);
  const merged = new Map<string, { sources: Set<'config' | 'credentials'>; keys: Map<string, string> }>();
  const add = (name: string, source: 'config' | 'credentials', keys: Map<string, string>): void => {
    const entry = merged.get(name) ?? { sources: new Set(), keys: new Map() };
    entry.sources.add(source);
    for (const [k, v] of keys) if (!entry.keys.has(k)) entry.keys.set(k, v);
    merged.set(name, entry);
  };
  for (const [section, keys] of parseIni(config)) {
    if (section === 'default') add('default', 'config', keys);
    else if (section.startsWith('profile ')) add(section.slice('profile '.length).trim(), 'config', keys);
  }
  for (const [section, keys] of parseIni(credentials)) add(section, 'credentials', keys);
  const profiles = [...merged].map(([name, { sources, keys }]): AwsProfileInfo => {
    const info: AwsProfileInfo = {
      name,
      sources: [...sources].sort(),
      sso: keys.has('sso_session') || keys.has('sso_start_url'),
      staticKeys: keys.has('aws_access_key_id'),
    };
    const region = keys.get('region');
    if (region) info.region = region;
    const roleArn = keys.get('role_arn');
    if (roleArn) info.roleArn = roleArn;
    const credentialProcess = keys.get('credential_process');
    if (credentialProcess) info.credentialProcess = credentialProcess;
    return info;
  });
  return profiles.sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

/** The profile the SDK will use: the explicit one, else AWS_PROFILE; undefined means the default chain. */
export function effectiveProfile(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return explicit || env.AWS_PROFILE || undefined;
}

/**
 * Regions where Lambda runs, for a region picker. A static list because listing regions needs
 * credentials (EC2 DescribeRegions) and a picker must work before the user has any.
 */
export const LAMBDA_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
];
