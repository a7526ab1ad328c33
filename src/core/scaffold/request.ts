import { UserError } from '../errors';
import type { Architecture } from '../model/types';
import { codeDirProblem, functionNameProblem, logicalIdFor, normalizeCodeDir } from './names';
import {
  ARCHITECTURES,
  DEFAULT_ARCHITECTURE,
  DEFAULT_PACKAGE_TYPE,
  EVENT_SOURCES,
  LANGUAGES,
  PACKAGE_TYPES,
  RUNTIMES,
  type EventSourceOption,
  type LanguageId,
  type RuntimeOption,
} from './options';

/** What a person asked for, as typed (CLI flags, prompt answers); resolveRequest checks it. */
export interface NewFunctionRequest {
  /** The Lambda function name. */
  name: string;
  runtime: string;
  /** An event source id (EVENT_SOURCES). */
  event: string;
  /** ts | js | python | java | go | rust; the runtime's first language when omitted. */
  language?: string;
  /** zip | image; zip when omitted. */
  packageType?: string;
  /** x86_64 | arm64; x86_64 when omitted. */
  architecture?: string;
  /** Code folder relative to the template's folder; the function name when omitted. */
  dir?: string;
}

export type RequestField = 'name' | 'runtime' | 'event' | 'language' | 'packageType' | 'architecture' | 'dir';

/** A request value that cannot be used: which field, and the sentence that says what to give. */
export class ScaffoldInputError extends UserError {
  constructor(
    readonly field: RequestField,
    message: string,
    hint?: string,
  ) {
    super(message, hint, `invalid-${field}`);
    this.name = 'ScaffoldInputError';
  }
}

export interface ResolvedFunction {
  name: string;
  logicalId: string;
  runtime: RuntimeOption;
  language: LanguageId;
  packageType: 'Zip' | 'Image';
  architecture: Architecture;
  event: EventSourceOption;
  /** Relative to the template's folder, forward slashes. */
  codeDir: string;
}

function choices(values: readonly { id: string }[]): string {
  return values.map((v) => v.id).join(', ');
}

/** Checks every field on its own (no template needed) and fills in the defaults. */
export function resolveRequest(req: NewFunctionRequest): ResolvedFunction {
  const nameProblem = functionNameProblem(req.name);
  if (nameProblem) throw new ScaffoldInputError('name', nameProblem);

  const runtime = RUNTIMES.find((r) => r.id === req.runtime);
  if (!runtime) throw new ScaffoldInputError('runtime', `Runtime '${req.runtime}' is not offered.`, `Choose one of: ${choices(RUNTIMES)}.`);

  const event = EVENT_SOURCES.find((e) => e.id === req.event);
  if (!event) throw new ScaffoldInputError('event', `Event source '${req.event}' is not offered.`, `Choose one of: ${choices(EVENT_SOURCES)}.`);

  const languageId = req.language ?? runtime.languages[0];
  const language = LANGUAGES.find((l) => l.id === languageId);
  if (!language) throw new ScaffoldInputError('language', `Language '${languageId}' is not offered.`, `Choose one of: ${choices(LANGUAGES)}.`);
  if (language.unavailable) throw new ScaffoldInputError('language', `${language.label} is not offered.`, language.unavailable);
  if (!runtime.languages.includes(language.id)) {
    throw new ScaffoldInputError(
      'language',
      `${runtime.id} functions cannot be written in ${language.label}.`,
      `For ${runtime.id} choose: ${runtime.languages.join(', ')}.`,
    );
  }

  const packageId = req.packageType ?? DEFAULT_PACKAGE_TYPE;
  if (!PACKAGE_TYPES.some((p) => p.id === packageId)) {
    throw new ScaffoldInputError('packageType', `Package type '${packageId}' is not offered.`, `Choose one of: ${choices(PACKAGE_TYPES)}.`);
  }

  const arch = req.architecture ?? DEFAULT_ARCHITECTURE;
  const architecture = ARCHITECTURES.find((a) => a.id === arch);
  if (!architecture) {
    throw new ScaffoldInputError('architecture', `Architecture '${arch}' is not offered.`, `Choose one of: ${choices(ARCHITECTURES)}.`);
  }

  const dir = normalizeCodeDir(req.dir ?? req.name);
  const dirProblem = codeDirProblem(dir);
  if (dirProblem) throw new ScaffoldInputError('dir', dirProblem);

  return {
    name: req.name,
    logicalId: logicalIdFor(req.name),
    runtime,
    language: language.id,
    packageType: packageId === 'image' ? 'Image' : 'Zip',
    architecture: architecture.id,
    event,
    codeDir: dir,
  };
}
