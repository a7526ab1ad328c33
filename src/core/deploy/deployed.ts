import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { isAwsError } from './awsErrors';
import type { LambdaSend } from './types';

export interface DeployedFunction {
  config: FunctionConfiguration;
  /** The image URI as given at deploy time (image functions). */
  imageUri?: string;
  /** The digest Lambda resolved that URI to when it took the image (sha256:...). */
  resolvedDigest?: string;
}

/** The function as deployed, or undefined when there is none by that name. */
export async function readDeployedFunction(lambda: LambdaSend, functionName: string): Promise<DeployedFunction | undefined> {
  const { GetFunctionCommand } = await import('@aws-sdk/client-lambda');
  try {
    const out = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
    if (!out.Configuration) return undefined;
    const resolvedDigest = out.Code?.ResolvedImageUri?.split('@')[1];
    return { config: out.Configuration, ...(out.Code?.ImageUri ? { imageUri: out.Code.ImageUri } : {}), ...(resolvedDigest ? { resolvedDigest } : {}) };
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) return undefined;
    throw err;
  }
}
