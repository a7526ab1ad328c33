import { awsErrorName } from './awsErrors';
import type { RegistryAuth } from './image';
import type { EcrSend } from './types';

const ECR_URI = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9._/-]+?)(?::([\w.-]+))?(@sha256:[0-9a-f]{64})?$/;

/** The repository named by an ECR image URI in the template (ImageUri), if it is one. */
export function repositoryFromImageUri(uri: string | undefined): string | undefined {
  return uri ? ECR_URI.exec(uri)?.[3] : undefined;
}

/** ECR repository names are lowercase; function names need not be. */
export function repositoryNameFor(functionName: string): string {
  return functionName.toLowerCase().replace(/[^a-z0-9._/-]/g, '-');
}

/** The repository's URI (registry/name), or undefined when it does not exist. */
export async function findRepository(ecr: EcrSend, name: string): Promise<string | undefined> {
  const { DescribeRepositoriesCommand } = await import('@aws-sdk/client-ecr');
  try {
    const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    return out.repositories?.[0]?.repositoryUri;
  } catch (err) {
    if (awsErrorName(err) === 'RepositoryNotFoundException') return undefined;
    throw err;
  }
}

/** The repository's URI, creating the repository when it is missing. */
export async function ensureRepository(ecr: EcrSend, name: string): Promise<{ uri: string; created: boolean }> {
  const found = await findRepository(ecr, name);
  if (found) return { uri: found, created: false };
  const { CreateRepositoryCommand } = await import('@aws-sdk/client-ecr');
  try {
    const out = await ecr.send(new CreateRepositoryCommand({ repositoryName: name, imageScanningConfiguration: { scanOnPush: false } }));
    if (!out.repository?.repositoryUri) throw new Error(`ECR returned no URI for repository ${name}`);
    return { uri: out.repository.repositoryUri, created: true };
  } catch (err) {
    // Another deploy created it in between.
    if (awsErrorName(err) !== 'RepositoryAlreadyExistsException') throw err;
    const uri = await findRepository(ecr, name);
    if (!uri) throw err;
    return { uri, created: false };
  }
}

/** Docker credentials for the account's registry (GetAuthorizationToken: "AWS:<password>", valid 12 h). */
export async function registryLogin(ecr: EcrSend): Promise<RegistryAuth> {
  const { GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
  const out = await ecr.send(new GetAuthorizationTokenCommand({}));
  const data = out.authorizationData?.[0];
  if (!data?.authorizationToken) throw new Error('ECR returned no authorization token');
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
    serveraddress: (data.proxyEndpoint ?? '').replace(/^https?:\/\//, ''),
  };
}

/** The registry host of a repository URI ("acct.dkr.ecr.region.amazonaws.com/name" -> host). */
export function registryHost(repositoryUri: string): string {
  return repositoryUri.split('/')[0];
}

/**
 * The digest an ECR image URI given by tag names now (sha256:...), from ECR itself; undefined when
 * the URI is pinned by digest, not ECR's, in another region than `region`, or the tag is not there.
 * A tag can be moved to another image while the URI stays the same string.
 */
export async function tagDigest(ecr: EcrSend, uri: string, region: string): Promise<string | undefined> {
  const m = ECR_URI.exec(uri);
  if (!m || m[5] || m[2] !== region) return undefined;
  const [, registryId, , repositoryName, imageTag = 'latest'] = m;
  const { DescribeImagesCommand } = await import('@aws-sdk/client-ecr');
  try {
    const out = await ecr.send(new DescribeImagesCommand({ registryId, repositoryName, imageIds: [{ imageTag }] }));
    return out.imageDetails?.[0]?.imageDigest;
  } catch (err) {
    // Not there, or not ours to read: the URI is then compared as written, as before.
    if (['ImageNotFoundException', 'RepositoryNotFoundException', 'AccessDeniedException'].includes(awsErrorName(err) ?? '')) return undefined;
    throw err;
  }
}
