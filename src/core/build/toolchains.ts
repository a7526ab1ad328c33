import { UserError } from '../errors';
import type { BuildUnit } from './types';

/** The toolchains builds run, each with where to get it. */
export const TOOLCHAINS = {
  python: { name: 'Python 3 with pip', get: 'Install Python 3 with pip (https://www.python.org/downloads/; on Debian or Ubuntu: apt-get install python3-pip) and make sure python3 is on PATH.' },
  npm: { name: 'npm', get: 'Install Node.js, which comes with npm (https://nodejs.org/), and make sure npm is on PATH.' },
  go: { name: 'Go', get: 'Install Go (https://go.dev/dl/) and make sure go is on PATH.' },
  make: { name: 'make', get: 'Install GNU make (Debian or Ubuntu: apt-get install make; macOS: xcode-select --install) and make sure make is on PATH.' },
  maven: { name: 'Apache Maven', get: 'Install a JDK and Apache Maven (https://maven.apache.org/install.html; on Debian or Ubuntu: apt-get install maven) and make sure mvn is on PATH.' },
  gradle: { name: 'Gradle', get: 'Add the Gradle wrapper (gradlew) to the project, or install Gradle (https://gradle.org/install/) and make sure gradle is on PATH.' },
  rust: { name: 'Rust (cargo)', get: 'Install Rust with rustup (https://rustup.rs/) and make sure cargo is on PATH.' },
  cargoLambda: {
    name: 'Cargo Lambda',
    get: 'Install Cargo Lambda (pip install cargo-lambda, which brings the Zig linker it cross-compiles with; or https://www.cargo-lambda.info/guide/installation.html), add the Rust target (rustup target add aarch64-unknown-linux-gnu or x86_64-unknown-linux-gnu), and make sure cargo-lambda is on PATH.',
  },
} as const;

export type Toolchain = keyof typeof TOOLCHAINS;

/** The error for a build that needs a toolchain this machine does not have. */
export function missingToolchain(toolchain: Toolchain, unit: BuildUnit, detail?: string): UserError {
  const t = TOOLCHAINS[toolchain];
  return new UserError(`Building ${unit.logicalId} needs ${t.name}, which was not found${detail ? ` (${detail})` : ''}.`, t.get, 'build-toolchain-missing');
}

/** The error for a toolchain command that ran and failed: the last lines it printed say why. */
export function toolFailed(unit: BuildUnit, what: string, tail: readonly string[], hint: string, code = 'build-failed'): UserError {
  const lines = tail.filter((l) => l.trim() !== '').slice(-12);
  return new UserError(`${what} failed for ${unit.logicalId}${lines.length > 0 ? `:\n${lines.join('\n')}` : '.'}`, hint, code);
}
