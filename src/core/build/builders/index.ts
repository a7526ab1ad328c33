import type { Builder, BuilderId } from '../types';
import { esbuildBuilder } from './esbuild';
import { goBuilder } from './go';
import { gradleBuilder, mavenBuilder } from './java';
import { makefileBuilder } from './makefile';
import { npmBuilder } from './npm';
import { pipBuilder } from './pip';
import { cargoLambdaBuilder } from './rust';

/** Every builder, by id. */
export const BUILDERS: Readonly<Record<BuilderId, Builder>> = {
  'python-pip': pipBuilder,
  'nodejs-npm': npmBuilder,
  esbuild: esbuildBuilder,
  'go-modules': goBuilder,
  makefile: makefileBuilder,
  'java-maven': mavenBuilder,
  'java-gradle': gradleBuilder,
  'rust-cargolambda': cargoLambdaBuilder,
};
