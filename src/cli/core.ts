import { cancellationSource, type CancellationTokenLike } from '../core/cancel';
import { defaultCacheDir } from '../core/local/cacheDir';
import { CLI_SOURCES, type CorePlace, DEFAULT_SETTINGS, openCore, type Settings, type WorkbenchCore } from '../core/open';
import { UsageError } from './io';
import type { OptionValues } from './options';

const str = (values: OptionValues, key: string): string => (typeof values[key] === 'string' ? (values[key] as string).trim() : '');

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
  };
}

/** The core for one CLI call, and a token the first Ctrl-C trips (the command then stops cleanly). */
export interface CliCore {
  core: WorkbenchCore;
  token: CancellationTokenLike;
  /** Removes containers, saves caches, stops workers, closes AWS clients. */
  close(): Promise<void>;
}

export function openCliCore(settings: Settings, local?: CorePlace['local']): CliCore {
  const core = openCore(settings, { cacheDir: defaultCacheDir(), sources: CLI_SOURCES, local });
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
