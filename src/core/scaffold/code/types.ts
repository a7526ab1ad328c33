import type { SampleParams } from '../../events/types';
import type { EventSourceId } from '../options';

/** What handler and test generators know about the function they write. */
export interface CodeContext {
  source: EventSourceId;
  name: string;
  logicalId: string;
  /** The saved sample event, relative to the folder holding the test file (POSIX separators). */
  eventFromTest: string;
  /** The parameters the sample event was built with, for the test's expectations. */
  sample: SampleParams;
  /** The saved sample event's text (Java tests keep a copy of it among their resources). */
  sampleEvent: string;
}

/** A handler and its unit test, as file contents. */
export interface HandlerSource {
  handler: string;
  test: string;
}

/** A file of the function's code folder. */
export interface CodeFile {
  /** Relative to the code folder, POSIX separators. */
  path: string;
  content: string;
}

/** The generated code folder and how to run its unit test there. */
export interface CodeFolder {
  files: CodeFile[];
  handlerFile: string;
  testFile: string;
  /** Relative folder of the test file, for eventFromTest. */
  testDir: string;
  test: { command: string; args: string[]; needsInstall: boolean };
}
