import { cancellationSource, type CancellationTokenLike } from '../core/cancel';
import { defaultCacheDir } from '../core/local/cacheDir';
import { CLI_SOURCES, type CorePlace, DEFAULT_SETTINGS, openCore, type Settings, type WorkbenchCore } from '../core/open';
import { type Io, UsageError } from './io';
import type { OptionSpec, OptionValues } from './options';

const str = (values: OptionValues, key: string): string => (typeof values[key] === 'string' ? (values[key] as string).trim() : '');
const list = (values: OptionValues, key: string): string[] => (Array.isArray(values[key]) ? (values[key] as unknown[]).filter((v): v is string => typeof v === 'string') : []);

/** Options for the installers builds run: every command that may build takes them (build, size --build, package, invoke, bench, deploy). */
export const BUILD_ARG_OPTIONS = {
  'pip-arg': { type: 'string', multiple: true },
  'npm-arg': { type: 'string', multiple: true },
  'maven-arg': { type: 'string', multiple: true },
} as const satisfies OptionSpec;

/** Their usage lines. */
export const BUILD_ARG_USAGE = `  --pip-arg ARG          an extra argument for pip install in builds (repeatable; an argument that
                         starts with a dash goes after '=': --pip-arg=--index-url=URL)
  --npm-arg ARG          an extra argument for npm ci / npm install in builds (repeatable)
  --maven-arg ARG        an extra argument for each mvn run in builds (repeatable)`;

/**
 * The settings a command's flags give: --profile, --region, --endpoint-url, --docker-host,
 * --runtime-api-address and --pass-credentials, the defaults for the rest. `images` is the
 * runtime -> image mapping --image makes for the function being run.
 */
export function settingsFromFlags(values: OptionValues, images: Readonly<Record<string, string>> = {}): Settings {
  const endpointUrl = str(values, 'endpoint-url');
  if (endpointUrl) {
    try {
      new URL(endpointUrl);
    } catch {
      throw new UsageError(`--endpoint-url wants a URL such as http://127.0.0.1:4566, not '${endpointUrl}'`);
    }
  }
  return {
    ...DEFAULT_SETTINGS,
    aws: { profile: str(values, 'profile'), region: str(values, 'region'), endpointUrl },
    local: {
      ...DEFAULT_SETTINGS.local,
      images,
      passAwsCredentials: values['pass-credentials'] === true,
      runtimeApiAddress: str(values, 'runtime-api-address'),
    },
    docker: { host: str(values, 'docker-host') },
    build: { pipArgs: list(values, 'pip-arg'), npmArgs: list(values, 'npm-arg'), mavenArgs: list(values, 'maven-arg') },
  };
}

/** The core for one CLI call, and a token the first Ctrl-C trips (the command then stops cleanly). */
export interface CliCore {
  core: WorkbenchCore;
  token: CancellationTokenLike;
  /** Removes containers, saves caches, stops workers, closes AWS clients. */
  close(): Promise<void>;
}

/**
 * Opens the core for one command. Builds that sizes, local runs and deploys start print their
 * output on stderr when given `io` (commands leave it out with --json, which keeps both streams
 * for what the contract says; a failed build is still reported); a terminal is run by hand, so
 * the workspace counts as trusted.
 */
export function openCliCore(settings: Settings, local?: CorePlace['local'], io?: Pick<Io, 'err'>): CliCore {
  // The process ends once its containers are removed: it need not wait for the engine's answer.
  const core = openCore(settings, { cacheDir: defaultCacheDir(), sources: CLI_SOURCES, local: { removal: 'handOff', ...local }, buildLog: io ? (line) => io.err(line) : undefined });
  const source = cancellationSource();
  const onSigint = (): void => source.cancel();
  process.once('SIGINT', onSigint);
  return {
    core,
    token: source.token,
    async close() {
      process.off('SIGINT', onSigint);
      await core.dispose();
    },
  };
}
