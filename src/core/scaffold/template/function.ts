import { javaHandlerFor } from '../code/java/project';
import type { ResolvedFunction } from '../request';
import type { SourceWiring } from '../sources/types';

/**
 * The AWS::Serverless::Function resource of a new function: its code and build (zip), or its
 * image build (Metadata Dockerfile/DockerContext/DockerTag), and the events its source wires.
 */
export function functionResource(fn: ResolvedFunction, wiring: SourceWiring): Record<string, unknown> {
  const properties: Record<string, unknown> = { FunctionName: fn.name };
  let metadata: Record<string, unknown> | undefined;
  if (fn.packageType === 'Image') {
    properties.PackageType = 'Image';
    metadata = { Dockerfile: 'Dockerfile', DockerContext: `./${fn.codeDir}`, DockerTag: `${fn.runtime.id}-v1` };
  } else {
    properties.CodeUri = `${fn.codeDir}/`;
    properties.Handler = handlerFor(fn);
    properties.Runtime = fn.runtime.id;
    metadata = buildMetadata(fn);
  }
  properties.Architectures = [fn.architecture];
  Object.assign(properties, wiring.functionProperties ?? {});
  if (wiring.events && Object.keys(wiring.events).length > 0) properties.Events = wiring.events;
  return {
    Type: 'AWS::Serverless::Function',
    Properties: properties,
    ...(metadata ? { Metadata: metadata } : {}),
  };
}

function handlerFor(fn: ResolvedFunction): string {
  switch (fn.language) {
    case 'ts':
    case 'js':
      return 'app.handler';
    case 'python':
      return 'app.lambda_handler';
    case 'java':
      return javaHandlerFor(fn.name);
    case 'go':
    case 'rust':
      // The OS-only runtime runs the executable named bootstrap; the handler name is not used.
      return 'bootstrap';
  }
}

function buildMetadata(fn: ResolvedFunction): Record<string, unknown> | undefined {
  if (fn.language === 'ts') {
    return {
      BuildMethod: 'esbuild',
      BuildProperties: {
        Format: 'esm',
        // Lambda loads an .mjs handler file as an ES module.
        OutExtension: ['.js=.mjs'],
        Target: fn.runtime.esbuildTarget,
        Minify: true,
        EntryPoints: ['app.ts'],
      },
    };
  }
  if (fn.language === 'go') return { BuildMethod: 'go1.x' };
  if (fn.language === 'rust') return { BuildMethod: 'rust-cargolambda' };
  return undefined;
}
