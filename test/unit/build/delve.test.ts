import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DELVE_VERSION, ensureDelve } from '../../../src/core/build/delve';
import { UserError } from '../../../src/core/errors';
import { spawnTool } from '../../../src/core/build/tools';

describe('build: Delve for Debug Locally', () => {
  let cache: string;
  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), 'lwb-delve-'));
  });
  afterEach(() => rmSync(cache, { recursive: true, force: true }));

  it('without Go on the PATH: says so and what to install, and leaves nothing half-built', async () => {
    await assert.rejects(ensureDelve('x86_64', { cacheDir: cache, settings: { env: { PATH: join(cache, 'nowhere') } }, tools: spawnTool }), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.equal(err.code, 'delve-missing');
      assert.match(err.message, new RegExp(`needs Delve ${DELVE_VERSION} for Linux, which could not be built: no go on PATH`));
      assert.match(err.hint ?? '', /Install Go/);
      return true;
    });
    assert.equal(existsSync(join(cache, 'delve', `${DELVE_VERSION}-linux-amd64`)), false);
  });

  it('a failed go get (no module proxy): its last lines and the fix; the work folder is gone', async () => {
    const settings = { env: { GOPROXY: 'off', GOFLAGS: '-mod=mod', GOMODCACHE: join(cache, 'empty-modcache'), GOTOOLCHAIN: 'local' } };
    await assert.rejects(ensureDelve('arm64', { cacheDir: cache, settings, tools: spawnTool }), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.match(err.message, /go get failed:[^]*GOPROXY=off/);
      assert.match(err.hint ?? '', /module proxy \(GOPROXY\)/);
      return true;
    });
    assert.deepEqual(readdirSync(join(cache, 'delve')), [], 'no partial build is left to be taken for a whole one');
  });
});
