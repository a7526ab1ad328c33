import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
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
  // Nothing changed: the version the alias points at is still current (no new version to publish).
  if (!changed && (!alias || existingAlias?.FunctionVersion)) {
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
