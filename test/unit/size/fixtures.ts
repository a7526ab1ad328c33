import { NO_RANGE, testFunctionSpec } from '../../support/specs';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FunctionSpec, LayerSpec } from '../../../src/core/model/types';


/** A FunctionSpec as the template model would produce it, with only what a test sets; its template sits next to the code folder. */
export function fnSpec(overrides: Partial<FunctionSpec> & { logicalId?: string } = {}): FunctionSpec {
  const templatePath = overrides.codeUri ? join(dirname(overrides.codeUri), 'template.yaml') : undefined;
  return testFunctionSpec({ handler: 'app.handler', ...(templatePath ? { templatePath } : {}), ...overrides });
}

export function layerSpec(logicalId: string, contentUri: string): LayerSpec {
  return {
    logicalId,
    templatePath: '/nowhere/template.yaml',
    resourceType: 'AWS::Serverless::LayerVersion',
    contentUri,
    compatibleRuntimes: [],
    compatibleArchitectures: [],
    ranges: { resource: NO_RANGE, logicalId: NO_RANGE, properties: {} },
  };
}

/** A temporary folder for one test; `cleanup` removes it. */
export function tempDir(prefix = 'lwb-size-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes files under `root`: path -> content (string or bytes); a mode after '|' in the key sets permissions. */
export function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [key, content] of Object.entries(files)) {
    const [rel, mode] = key.split('|');
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    if (mode) chmodSync(path, Number.parseInt(mode, 8));
  }
}

/** A package.json for a package under node_modules. */
export function pkgJson(name: string, deps: Record<string, string> = {}, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name, version: '1.0.0', dependencies: deps, ...extra });
}
