import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { isAwsError } from './awsErrors';
import { configChanges, type DesiredConfig } from './config';
import type { CancellationTokenLike } from '../cancel';
import { awsCall, changeFunction, type DeployContext } from './context';
import type { StepRunner } from './steps';
import { waitForFunctionReady } from './waiters';

/** Publishes a version and moves the alias when asked; returns the version the function runs as. */
export async function publishStep(
  ctx: DeployContext,
  name: string,
  current: FunctionConfiguration | undefined,
  changed: boolean,
  runner: StepRunner,
  token: CancellationTokenLike | undefined,
): Promise<string> {
  const { alias } = ctx.options;
  if (!ctx.options.publishVersion && !alias) return '$LATEST';
  const lambda = await import('@aws-sdk/client-lambda');
  const existingAlias = alias
    ? await awsCall(ctx, `reading alias ${alias} of ${name}`, () =>
        ctx.lambda.send(new lambda.GetAliasCommand({ FunctionName: name, Name: alias })).catch((err: unknown) => {
          if ((err as Error).name === 'ResourceNotFoundException') return undefined;
          throw err;
        }),
      )
    : undefined;
  // Nothing to publish: the plan found the published version (the alias's) current, so none is made unasked.
  if (!changed) {
    runner.skip('publish version', 'nothing changed');
    if (alias) runner.skip('update alias', 'already current');
    return existingAlias?.FunctionVersion ?? '$LATEST';
  }
  const published = await runner.run(
    'publish version',
    async () => {
      const out = await changeFunction(
        ctx,
        name,
        `publishing a version of ${name}`,
        () => ctx.lambda.send(new lambda.PublishVersionCommand({ FunctionName: name, ...(current?.CodeSha256 ? { CodeSha256: current.CodeSha256 } : {}) })),
        token,
      );
      const version = out.Version ?? '$LATEST';
      await awsCall(ctx, `waiting for version ${version} of ${name}`, () => waitForFunctionReady(ctx.lambda, `${name}:${version}`, token, ctx.options.maxWaitSeconds));
      return version;
    },
    (v) => `version ${v} of ${name} published`,
  );
  if (alias) {
    await runner.run(
      'update alias',
      () =>
        awsCall(ctx, `pointing alias ${alias} of ${name} at version ${published}`, () =>
          existingAlias
            ? ctx.lambda.send(new lambda.UpdateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: published }))
            : ctx.lambda.send(new lambda.CreateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: published })),
        ),
      () => `alias ${alias} -> ${published}`,
    );
  }
  return published;
}

/**
 * For a function whose code and configuration are already deployed, whether a deploy that
 * publishes (a version, an alias) still has to: the alias is missing, or points at a version that
 * is not the deployed code and configuration (a run whose PublishVersion failed left it there), or
 * no version matches. Says why, for the plan, or undefined when the published version is current.
 */
export async function stalePublication(ctx: DeployContext, name: string, deployed: FunctionConfiguration, desired: DesiredConfig): Promise<string | undefined> {
  const { alias } = ctx.options;
  if (!ctx.options.publishVersion && !alias) return undefined;
  const lambda = await import('@aws-sdk/client-lambda');
  let version: string | undefined;
  if (alias) {
    const existing = await awsCall(ctx, `reading alias ${alias} of ${name}`, () =>
      ctx.lambda.send(new lambda.GetAliasCommand({ FunctionName: name, Name: alias })).catch((err: unknown) => {
        if (isAwsError(err, 'ResourceNotFoundException')) return undefined;
        throw err;
      }),
    );
    if (!existing?.FunctionVersion) return `Alias ${alias} does not exist yet: publishes a version of the deployed code and creates the alias.`;
    version = existing.FunctionVersion;
  } else {
    version = await awsCall(ctx, `listing the versions of ${name}`, () => latestVersion(ctx, name));
    if (!version) return 'No version is published yet: publishes one of the deployed code.';
  }
  if (version === '$LATEST') return undefined;
  const published = await awsCall(ctx, `reading version ${version} of ${name}`, () => ctx.lambda.send(new lambda.GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: version })));
  const differs = published.CodeSha256 !== deployed.CodeSha256 || configChanges(desired, published).changed.length > 0;
  if (!differs) return undefined;
  const what = alias ? `Alias ${alias} points at version ${version}, which` : `The latest version, ${version},`;
  return `${what} is not the deployed code and configuration (an earlier deploy did not finish publishing): publishes a version${alias ? ' and moves the alias' : ''}.`;
}

/** The highest published version number, or undefined when only $LATEST exists. */
async function latestVersion(ctx: DeployContext, name: string): Promise<string | undefined> {
  const { ListVersionsByFunctionCommand } = await import('@aws-sdk/client-lambda');
  let highest: number | undefined;
  let marker: string | undefined;
  do {
    const page = await ctx.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker: marker }));
    for (const v of page.Versions ?? []) {
      const n = Number(v.Version);
      if (Number.isInteger(n) && (highest === undefined || n > highest)) highest = n;
    }
    marker = page.NextMarker;
  } while (marker);
  return highest === undefined ? undefined : String(highest);
}
