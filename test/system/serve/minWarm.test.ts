import assert from 'node:assert/strict';
import { call, serveFixture, type ServeFixture, until } from './fixture';

// serve --min-warm: containers kept started while serving; after a save rebuilds the function,
// fresh ones on the new code replace them, so the first request after the save is warm.

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Kept:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: app.handler
      CodeUri: fn/
      Events:
        Get: { Type: HttpApi, Properties: { Path: /kept, Method: get } }
`;

const app = (version: string): string => `export const handler = async () => '${version}';\n`;

describe('serve: --min-warm keeps containers warm across a rebuild (real Docker, aws-lambda-ric)', function () {
  this.timeout(180_000);
  let fx: ServeFixture;
  before(async () => {
    fx = await serveFixture(TEMPLATE, { 'fn/app.mjs': app('v1') }, { minWarm: 2, watch: true });
  });
  after(() => fx?.dispose());

  /** The REPORT line of the latest request. */
  const lastReport = (): string => fx.logs.filter((e) => e.logicalId === 'Kept' && e.line.startsWith('REPORT')).at(-1)?.line ?? '';

  it('starts the containers before serving, and the first request after a save is warm on the new code', async () => {
    const fn = fx.fn('Kept');
    assert.equal(fx.runner.warmCount(fn), 2, 'two warm containers before any request');
    assert.deepEqual(fx.api.warmState(fn), { logicalId: 'Kept', templatePath: fn.templatePath, target: 2, warm: 2, starting: false });
    assert.equal((await call(`${fx.base('Kept')}/kept`)).text, 'v1');
    await until(() => lastReport() !== '', 'the REPORT line');
    assert.doesNotMatch(lastReport(), /Init Duration/, 'warm');

    fx.write('fn/app.mjs', app('v2'));
    await until(() => fx.reloads.some((r) => r.phase === 'rebuilt'), 'the rebuild');
    await until(() => fx.api.warmState(fn)?.starting === false, 'the fresh containers');
    assert.equal(fx.runner.warmCount(fn), 2);
    const reports = fx.logs.filter((e) => e.line.startsWith('REPORT')).length;
    assert.equal((await call(`${fx.base('Kept')}/kept`)).text, 'v2', 'the new code');
    await until(() => fx.logs.filter((e) => e.line.startsWith('REPORT')).length > reports, 'the REPORT line');
    assert.doesNotMatch(lastReport(), /Init Duration/, 'the first request after the save is warm');
    await until(async () => (await fx.containers('Kept')) === 2, 'the stale containers to go');
  });
});
