// One way to open the core from settings, for the editor and the CLI alike.
export { type CoreDeps, type CorePlace, DEFAULT_DEPS, type LocalRun, openCore, WorkbenchCore } from './core';
export { type Restarts, restartsAnything, restartsFor } from './restarts';
export { buildSettings, CLI_SOURCES, DEFAULT_SETTINGS, EDITOR_SOURCES, engineOptions, sessionOptions, type SettingSources, type Settings } from './settings';
