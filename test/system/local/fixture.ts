import { testFunctionSpec } from '../../support/specs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type Docker from 'dockerode';
import { type Engine, openEngine } from '../../../src/core/docker';
import { LocalRunner, type LocalRunnerOptions, type LogEntry } from '../../../src/core/local';
import type { FunctionSpec } from '../../../src/core/model/types';
import { runLabels, testEnv } from '../env';


/** A function spec as the template parser makes one, with code written to its own folder. */
export function functionSpec(root: string, logicalId: string, files: Record<string, string>, over: Partial<FunctionSpec> = {}): FunctionSpec {
  const codeUri = join(root, logicalId);
  writeFiles(codeUri, files);
  return testFunctionSpec({ logicalId, templatePath: join(root, 'template.yaml'), codeUri, ...over });
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

export interface LocalFixture {
  root: string;
  engine: Engine;
  runner: LocalRunner;
  /** Every line every invocation logged. */
  logs: LogEntry[];
  /** A second runner with other options; disposed with the fixture. */
  another(opts: Partial<LocalRunnerOptions>): Promise<LocalRunner>;
  /** This session's containers on the engine (by the test-run label). */
  containers(logicalId?: string): Promise<Docker.ContainerInfo[]>;
  /** The host addresses the container's port (a debugger's) is published on. */
  publishedOn(containerId: string, port: number): Promise<string[]>;
  dispose(): Promise<void>;
}

/** A runner on the real engine, mapping nodejs22.x to the test image and labelling its containers for the test run. */
export async function localFixture(opts: Partial<LocalRunnerOptions> = {}): Promise<LocalFixture> {
  const { image } = testEnv();
  const root = mkdtempSync(join(tmpdir(), 'lwb-local-'));
  const engine = await openEngine();
  const logs: LogEntry[] = [];
  const base: LocalRunnerOptions = {
    engine,
    cacheDir: join(root, '.cache'),
    images: { 'nodejs22.x': image },
    labels: runLabels(),
    idleTimeoutMs: 60_000,
    onLog: (e) => logs.push(e),
  };
  const runners = [await LocalRunner.create({ ...base, ...opts })];
  return {
    root,
    engine,
    runner: runners[0],
    logs,
    async another(more) {
      const r = await LocalRunner.create({ ...base, ...opts, ...more });
      runners.push(r);
      return r;
    },
    async containers(logicalId) {
      const label = [`lambda-workbench.test-run=${testEnv().runId}`];
      if (logicalId) label.push(`lambda-workbench.function=${logicalId}`);
      return engine.docker.listContainers({ all: true, filters: { label } });
    },
    async publishedOn(containerId, port) {
      const info = await engine.docker.getContainer(containerId).inspect();
      return ((info.NetworkSettings.Ports as Record<string, { HostIp: string }[] | null>)[`${port}/tcp`] ?? []).map((p) => p.HostIp);
    },
    async dispose() {
      await Promise.all(runners.map((r) => r.dispose()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
