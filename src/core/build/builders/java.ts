// Java. Maven as SAM runs it: in a copy of the code folder, `mvn clean install`, then the runtime
// dependencies copied out (`dependency:copy-dependencies -DincludeScope=runtime`); the artifact is
// target/classes with those jars in lib/. When javac here refuses the Java release the project
// compiles for (this machine's JDK is older), the steps run inside the runtime's build image
// instead, whose JDK is the runtime's, as SAM's --use-container would. Gradle: the toolchain is checked so a
// missing one is named with where to get it; the build itself is not done here yet.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../../errors';
import { copyTree } from '../copy';
import { nameMatcher } from '../excludes';
import { missingToolchain, toolFailed } from '../toolchains';
import type { Builder, BuildContext } from '../types';
import { mavenInImage, mavenOpts, unsupportedRelease } from './mavenImage';
import { findTool, runStep } from './step';

export const mavenBuilder: Builder = {
  id: 'java-maven',
  manifests: ['pom.xml'],
  excludes: ['target'],
  options: (_unit, settings) => ({ mavenArgs: settings.mavenArgs ?? [] }),
  async build(ctx) {
    const { unit } = ctx;
    const mvn = findTool(ctx, 'mvn');
    if (!mvn) throw missingToolchain('maven', unit, 'no mvn on PATH');
    const work = join(ctx.scratch, 'source');
    await copyTree(unit.codeDir, work, { excluded: nameMatcher([]), token: ctx.token, onSkip: (rel, why) => ctx.log(`left out ${rel}: ${why}`) });
    const extra = ctx.settings.mavenArgs ?? [];
    // Batch mode without colours: plain log lines, and no prompt waiting for an answer nobody gives.
    const quiet = ['--batch-mode', '-Dstyle.color=never'];
    // SAM runs these as two Maven runs; one run does the same goals in the same order and starts
    // Maven (a JVM, seconds) once. The -D properties are the dependency plugin's only.
    const steps: [string, string[]][] = [
      ['mvn clean install', [...quiet, 'clean', 'install', 'dependency:copy-dependencies', '-DincludeScope=runtime', '-Dmdep.prependGroupId=true', ...extra]],
    ];
    for (const [i, [what, args]] of steps.entries()) {
      ctx.log(what);
      const result = await runStep(ctx, 'maven', { command: mvn, args, cwd: work, env: { MAVEN_OPTS: mavenOpts({ ...process.env, ...ctx.settings.env }) } });
      if (result.code === 0) continue;
      const release = i === 0 ? unsupportedRelease(result.tail) : undefined;
      if (release !== undefined) {
        ctx.log(`maven: the JDK on this machine cannot compile for Java ${release}: building inside ${unit.runtime ?? 'the runtime'}'s build image`);
        await mavenInImage(ctx, work, steps, release);
        break;
      }
      const errors = result.tail.filter((l) => l.startsWith('[ERROR]'));
      throw toolFailed(unit, what, errors.length > 0 ? errors : result.tail, 'Fix the error above, then build again.');
    }
    const classes = join(work, 'target', 'classes');
    if (!existsSync(classes)) throw new UserError(`${unit.logicalId}: mvn clean install produced no target/classes.`, 'Check that pom.xml builds a jar of the function (packaging jar).', 'build-failed');
    await copyTree(classes, ctx.staging, { token: ctx.token });
    const dependencies = join(work, 'target', 'dependency');
    if (existsSync(dependencies)) await copyTree(dependencies, join(ctx.staging, 'lib'), { token: ctx.token });
  },
};

export const gradleBuilder: Builder = {
  id: 'java-gradle',
  manifests: ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts'],
  excludes: ['build', '.gradle'],
  options: () => null,
  async build(ctx) {
    const wrapper = [ctx.unit.codeDir, dirname(ctx.unit.templatePath)].some((d) => existsSync(join(d, 'gradlew')));
    if (!wrapper && !findTool(ctx, 'gradle')) throw missingToolchain('gradle', ctx.unit, 'no gradlew in the project and no gradle on PATH');
    throw notBuiltYet(ctx, 'Gradle');
  },
};

export function notBuiltYet(ctx: BuildContext, tool: string): UserError {
  return new UserError(`Lambda Workbench does not run ${tool} builds yet (${ctx.unit.logicalId}).`, 'Build it with `sam build` for now.', 'build-unsupported');
}
