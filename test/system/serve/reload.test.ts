import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { call, serveFixture, type ServeFixture, until } from './fixture';

// Reload on save through the build stage: the function is built by its Makefile (BuildMethod
// makefile, run by the build engine), a save rebuilds it, and the next request runs the new
// artifact while a request already running finishes on the old one.

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Versioned:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: app.handler
      CodeUri: made/
      Timeout: 60
      Layers: [ !Ref Signals ]
      Events:
        Get: { Type: HttpApi, Properties: { Path: /version, Method: get } }
    Metadata:
      BuildMethod: makefile
  Signals:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: signals/
`;

const MAKEFILE = 'build-Versioned:\n\ttest ! -e fail\n\tcp app.mjs $(ARTIFACTS_DIR)/app.mjs\n';

const app = (version: string): string => `import { existsSync } from 'node:fs';
export const handler = async (event) => {
  const id = event.queryStringParameters?.wait;
  while (id && !existsSync('/opt/node_modules/.signals/' + id)) await new Promise((r) => setTimeout(r, 20));
  return '${version}';
};
`;

describe('serve: reload on save through the build stage (real make, Docker, aws-lambda-ric)', function () {
  this.timeout(180_000);
  let fx: ServeFixture;
  before(async () => {
    fx = await serveFixture(TEMPLATE, { 'made/app.mjs': app('v1'), 'made/Makefile': MAKEFILE, 'signals/node_modules/.signals/.keep': '' }, { watch: true });
  });
  after(() => fx?.dispose());

  it('rebuilds a saved function; the next request runs the new code, the one in flight finishes on the old', async () => {
    const url = `${fx.base('Versioned')}/version`;
    assert.equal((await call(url)).text, 'v1');
    const inFlight = call(`${url}?wait=a`);
    await until(() => fx.api.load(fx.fn('Versioned'))?.running === 1, 'the request in flight');
    fx.write('made/app.mjs', app('v2'));
    await until(() => fx.reloads.some((r) => r.phase === 'rebuilt'), 'the rebuild');
    assert.deepEqual(fx.reloads.map((r) => [r.logicalId, r.phase, r.changed]), [['Versioned', 'rebuilding', 'app.mjs'], ['Versioned', 'rebuilt', 'app.mjs']]);
    assert.ok(fx.reloads[1].durationMs > 0);
    assert.equal((await call(url)).text, 'v2', 'the next request runs the rebuilt artifact');
    fx.write('signals/node_modules/.signals/a', 'go');
    const old = await inFlight;
    assert.deepEqual([old.status, old.text], [200, 'v1'], 'the request in flight was not dropped');
  });

  it('keeps serving the last good build when a rebuild fails, and says why', async () => {
    const url = `${fx.base('Versioned')}/version`;
    const before = fx.reloads.length;
    fx.write('made/fail', 'x');
    await until(() => fx.reloads.slice(before).some((r) => r.phase === 'failed'), 'the failed rebuild');
    const failed = fx.reloads.slice(before).find((r) => r.phase === 'failed')!;
    assert.match(failed.error ?? '', /make|build/i);
    assert.equal((await call(url)).text, 'v2');
    const after = fx.reloads.length;
    rmSync(join(fx.dir, 'made', 'fail'));
    await until(() => fx.reloads.slice(after).some((r) => r.phase === 'rebuilt'), 'the next good rebuild');
  });
});
