import { UserError } from '../errors';
import type { Architecture } from '../limits';

/** Docker's platform for each Lambda architecture (pulls, builds, and what an image says it is for). */
export const DOCKER_PLATFORM: Record<Architecture, string> = { x86_64: 'linux/amd64', arm64: 'linux/arm64' };
/** An image's Architecture as the engine reports it, for each Lambda architecture. */
export const IMAGE_ARCH: Record<Architecture, string> = { x86_64: 'amd64', arm64: 'arm64' };

/** The CPU names engines and images use (`docker info`'s uname -m, an image's GOARCH), as Lambda names them. */
export function lambdaArchitecture(name: string): Architecture | undefined {
  if (name === 'x86_64' || name === 'amd64') return 'x86_64';
  if (name === 'aarch64' || name === 'arm64') return 'arm64';
  return undefined;
}

/**
 * What a container prints when the kernel cannot run its program because it is for another CPU
 * and no emulator for that CPU is registered: runc's "exec /lambda-entrypoint.sh: exec format
 * error" for the entrypoint, a shell's "Exec format error" for the bootstrap it starts.
 */
export const EXEC_FORMAT_ERROR = /exec format error/i;

/** QEMU's user-mode emulator for each architecture, as qemu-user-static names it. */
const QEMU: Record<Architecture, string> = { x86_64: 'qemu-x86_64', arm64: 'qemu-aarch64' };

/**
 * A container that stopped before its runtime's first poll with an exec format error: when the
 * engine's CPU is not the function's, the engine cannot emulate the function's CPU, and the person
 * is told how to let it or where else to run; when it is, something in the package or image was
 * built for another CPU.
 */
export function execFormatError(e: {
  logicalId: string;
  image: string;
  architecture: Architecture;
  /** `docker info`'s Architecture (x86_64, aarch64). */
  engineArchitecture: string;
  /** The line the container printed. */
  line: string;
  /** Where the Docker engine is chosen (the setting, the flag). */
  dockerHost: string;
}): UserError {
  const engine = lambdaArchitecture(e.engineArchitecture);
  const said = e.line.trim();
  if (engine && engine !== e.architecture) {
    return new UserError(
      `The Docker engine runs ${engine} code and cannot run ${e.logicalId}, an ${e.architecture} function: its container (${e.image}) stopped with "${said}", as it does when no emulator for ${e.architecture} is registered.`,
      `Let the engine's machine emulate ${e.architecture}: register QEMU's ${QEMU[e.architecture]} with the kernel's binfmt_misc with the F flag (on Debian or Ubuntu, install qemu-user-static; Docker Desktop has it already). ` +
        `Or run the function on ${engine} (Architectures: [${engine}] in the template), or on an engine on an ${e.architecture} machine (${e.dockerHost}).`,
      'architecture-not-emulated',
    );
  }
  return new UserError(
    `${e.logicalId}'s container (${e.image}) stopped with "${said}": a program in its package or image is built for another CPU than the function's ${e.architecture}.`,
    `Build the function's code (and its layers and image) for ${e.architecture}, the function's Architectures.`,
    'exec-format-error',
  );
}

/** A mapped image made for another CPU than the function's (Lambda would run the function on its own). */
export function imageArchitectureError(e: { image: string; imageArchitecture: string; architecture: Architecture; runtime?: string; mapIn: string }): UserError {
  const imageIs = lambdaArchitecture(e.imageArchitecture) ?? e.imageArchitecture;
  return new UserError(
    `The image ${e.image} is for ${imageIs}, but the function runs on ${e.architecture} (its Architectures): Lambda would run its code on an ${e.architecture} CPU.`,
    `Map ${e.runtime ?? 'its runtime'} to an image for ${DOCKER_PLATFORM[e.architecture]} (${e.mapIn}), or set the function's Architectures to ${imageIs} in the template.`,
    'image-architecture',
  );
}
