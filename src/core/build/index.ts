// Builds: a function from the template model -> an artifact folder, the way `sam build` makes it.
export { BUILDERS } from './builders';
export { noWheelError, pythonVersion, wheelPlatforms } from './builders/pip';
export { readRequirements, type Requirements } from './builders/requirements';
export { type Buildable, type BuildPlan, isBuilt, isLayer, planBuild, planFor, planLayerBuild } from './choose';
export { type CachedDependencies, DependencyCache } from './depsCache';
export { ELF_MACHINE, elfMachine, elfMachineOf, machineArchitecture } from './elf';
export { BuildEngine, type BuildEngineOptions, type BuildPreview, type BuildRunOptions, type BuildStatusReport } from './engine';
export { buildKey, BUILD_FORMAT } from './key';
export { artifactDir, BUILD_FOLDER, buildRoot, stateFile } from './layout';
export { spawnTool, type ToolResult, type ToolRun, type ToolRunner } from './tools';
export type * from './types';
