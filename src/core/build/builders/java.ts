// Java (Maven or Gradle): the toolchain is checked so a missing one is named with where to get it;
// the build itself is not done here yet.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../../errors';
import { missingToolchain } from '../toolchains';
import type { Builder, BuildContext } from '../types';
import { findTool } from './step';

export const mavenBuilder: Builder = {
  id: 'java-maven',
  manifests: ['pom.xml'],
  excludes: ['target'],
  options: () => null,
  async build(ctx) {
    if (!findTool(ctx, 'mvn')) throw missingToolchain('maven', ctx.unit, 'no mvn on PATH');
    throw notBuiltYet(ctx, 'Maven');
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
