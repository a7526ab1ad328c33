import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { UserError } from '../errors';
import type { AwsCredentials } from './environment';

// AWS credentials a local run passes to its function (only when the person asked for that) never
// go into the container's configuration. Env given at create time stays in the engine's record
// of the container (`docker inspect`, its config file on disk) for as long as the container
// exists, and a warm container outlives an editor that crashes or is killed before it removes
// it. Instead the container runs its own entrypoint under a shell that reads the credentials from
// stdin, exports them and execs it: they live in the runtime process's memory only, as in Lambda,
// and go with it. The runtime exits once its Runtime API is gone (AWS's clients do), so a
// container left behind holds nothing.

/** Reads the three lines, exports them, and runs the image's entrypoint with stdin closed. */
export const CREDENTIALS_SCRIPT = [
  'IFS= read -r AWS_ACCESS_KEY_ID && IFS= read -r AWS_SECRET_ACCESS_KEY && IFS= read -r AWS_SESSION_TOKEN ||',
  "  { echo 'lambda-workbench: no AWS credentials arrived on stdin' >&2; exit 1; }",
  'export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
  'if [ -n "$AWS_SESSION_TOKEN" ]; then export AWS_SESSION_TOKEN; else unset AWS_SESSION_TOKEN; fi',
  'exec "$@" </dev/null',
].join('\n');

/** What the shell reads: one value per line (none of them can hold a line break). */
export function credentialLines(c: AwsCredentials): string {
  const values = [c.accessKeyId, c.secretAccessKey, c.sessionToken ?? ''];
  if (values.some((v) => /[\r\n\0]/.test(v))) {
    throw new UserError('The AWS credentials to pass to the function contain a line break or NUL character.', 'Check the profile the credentials come from.', 'credentials-invalid');
  }
  return `${values.join('\n')}\n`;
}

/**
 * The container's entrypoint and command when credentials are passed: the shell above, then the
 * image's own entrypoint (or the one given instead) with the command (the handler for the AWS base
 * images, else the image's).
 */
export async function credentialsEntry(docker: Docker, image: string, cmd: string[] | undefined, entrypoint?: string[]): Promise<{ Entrypoint: string[]; Cmd: string[] }> {
  const config = ((await docker.getImage(image).inspect()) as { Config?: { Entrypoint?: string[] | null; Cmd?: string[] | null } }).Config ?? {};
  const command = [...(entrypoint ?? config.Entrypoint ?? []), ...(cmd ?? config.Cmd ?? [])];
  if (command.length === 0) {
    throw new UserError(`The image ${image} has neither an entrypoint nor a command, so there is nothing to run.`, 'Use a Lambda base image, or one built FROM it.', 'image-no-entrypoint');
  }
  return { Entrypoint: ['/bin/sh', '-c', CREDENTIALS_SCRIPT, 'lambda-workbench-credentials'], Cmd: command };
}

/** Opens the created container's stdin; write the credentials with feed() once it has started. */
export async function openStdin(container: Docker.Container): Promise<Duplex> {
  const stream = (await container.attach({ stream: true, stdin: true, hijack: true })) as unknown as Duplex;
  stream.on('error', () => undefined);
  return stream;
}

/** Writes the credentials and closes stdin (the container was created with StdinOnce). */
export function feed(stdin: Duplex, credentials: AwsCredentials): void {
  stdin.end(credentialLines(credentials));
}
