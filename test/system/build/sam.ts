// AWS SAM CLI and cfn-lint from the tool cache's venv (scripts/setup.sh, step samcli), and `sam
// build` run offline from the same package folders our builds use (offlineSettings), so both sides
// install the same packages from the same places.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { run } from '../../support/proc';
import { buildDeps, filesUnder, toolCache } from './support';

/** A program of the venv: 'sam' or 'cfn-lint'. */
export function samTool(name: 'sam' | 'cfn-lint'): string {
  const bin = join(toolCache(), 'sam-cli', 'bin', name);
  assert.ok(existsSync(bin), `no ${name} in ${dirname(bin)}: run bash scripts/setup.sh samcli`);
  return bin;
}

/**
 * The environment `sam build` runs in: no telemetry, and pip, npm and Go offline from the build
 * tests' package folders (SAM passes its environment to the tools it runs). cgo is off as our Go
 * builder turns it off: SAM leaves it to the environment.
 */
export function samEnv(): NodeJS.ProcessEnv {
  const deps = buildDeps();
  return {
    ...process.env,
    SAM_CLI_TELEMETRY: '0',
    PIP_NO_INDEX: '1',
    PIP_FIND_LINKS: join(deps, 'wheels'),
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    npm_config_offline: 'true',
    npm_config_cache: join(deps, 'npm'),
    npm_config_update_notifier: 'false',
    GOMODCACHE: join(deps, 'gomod'),
    GOPROXY: 'off',
    GOFLAGS: '-mod=mod -buildvcs=false',
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
  };
}

/** `sam build` of a template into buildDir (one artifact folder per logical id); its wall time. */
export async function samBuild(template: string, buildDir: string, ids: readonly string[] = []): Promise<number> {
  const t0 = performance.now();
  const r = await run(samTool('sam'), ['build', '--template-file', template, '--build-dir', buildDir, ...ids], { cwd: dirname(template), env: samEnv() });
  const ms = performance.now() - t0;
  assert.equal(r.code, 0, `sam build failed:\n${r.output}`);
  return ms;
}

/** Each file under dir (relative path) with the sha256 of its bytes. */
export function fileDigests(dir: string): Map<string, string> {
  return new Map(filesUnder(dir).map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));
}
