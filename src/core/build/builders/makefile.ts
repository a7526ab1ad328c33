// BuildMethod makefile: SAM copies the code folder to a scratch folder and runs
// `make --makefile <CodeUri>/Makefile build-<LogicalId>` there, with ARTIFACTS_DIR naming the folder
// the target fills. The target decides everything else (it is the user's own build).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors';
import { copyTree } from '../copy';
import { nameMatcher } from '../excludes';
import { missingToolchain, toolFailed } from '../toolchains';
import type { Builder } from '../types';
import { findTool, runStep } from './step';

export const makefileBuilder: Builder = {
  id: 'makefile',
  manifests: ['Makefile'],
  excludes: [],
  options: () => null,
  async build(ctx) {
    const { unit } = ctx;
    const makefile = join(unit.codeDir, 'Makefile');
    if (!existsSync(makefile)) {
      throw new UserError(
        `${unit.logicalId} is built with make, but ${unit.codeDir} has no Makefile.`,
        `Add a Makefile with a build-${unit.logicalId} target that fills $(ARTIFACTS_DIR), or set Metadata.BuildMethod (go1.x for Go, rust-cargolambda for Rust).`,
        'build-manifest-missing',
      );
    }
    const make = findTool(ctx, 'make');
    if (!make) throw missingToolchain('make', unit, 'no make on PATH');
    const work = join(ctx.scratch, 'source');
    await copyTree(unit.codeDir, work, { excluded: nameMatcher([]), token: ctx.token, onSkip: (rel, why) => ctx.log(`left out ${rel}: ${why}`) });
    const target = `build-${unit.logicalId}`;
    ctx.log(`make: ${target}`);
    const result = await runStep(ctx, 'make', { command: make, args: ['--makefile', makefile, target], cwd: work, env: { ARTIFACTS_DIR: ctx.staging } });
    if (result.code === 0) return;
    if (result.tail.some((l) => l.includes(`No rule to make target '${target}'`))) {
      throw new UserError(`${unit.logicalId}: the Makefile has no ${target} target.`, `Add a ${target} target that puts the function's files in $(ARTIFACTS_DIR).`, 'build-failed');
    }
    throw toolFailed(unit, `make ${target}`, result.tail, 'Fix the error above, then build again.');
  },
};
