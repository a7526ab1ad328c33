/**
 * A Dockerfile on a Lambda base image for a runtime that needs no build step: the dependencies
 * the manifest declares are installed first (a layer Docker reuses while the manifest is
 * unchanged), then the code is copied into the task root, and CMD names the handler for the
 * base image's entrypoint. New functions and functions switched to an image both use it.
 */
export interface RuntimeImage {
  family: 'node' | 'python';
  /** public.ecr.aws/lambda/<runtime>:<version>. */
  baseImage: string;
  handler: string;
  /** What the handler string names, for the comment above CMD ('app.mjs, export handler'). */
  handlerMeans?: string;
  /** The dependency manifest to install from ('package.json', 'requirements.txt'), when there is one. */
  manifest?: string;
  /** What is copied into the task root, relative to the build context ('.': all of it). */
  code: string[];
}

const RUNTIME_LABEL = { node: 'Node.js', python: 'Python' } as const;
const INSTALL = { node: 'npm install --omit=dev --no-audit --no-fund', python: 'pip install --no-cache-dir -r requirements.txt' } as const;

export function runtimeDockerfile(image: RuntimeImage): string {
  const lines = [`FROM ${image.baseImage}`];
  if (image.manifest) lines.push(`COPY ${image.manifest} \${LAMBDA_TASK_ROOT}/`, `RUN ${INSTALL[image.family]}`);
  lines.push(`COPY ${image.code.join(' ')} \${LAMBDA_TASK_ROOT}/`);
  lines.push(`# The base image's entrypoint starts the ${RUNTIME_LABEL[image.family]} runtime with this handler${image.handlerMeans ? `: ${image.handlerMeans}` : ''}.`);
  lines.push(`CMD ${JSON.stringify([image.handler])}`);
  return `${lines.join('\n')}\n`;
}
