// Scaffolding new functions: options as data, a pure planner, and the one step that writes.
export { applyEdits, type CreateFile, type FileEdit, type UpdateFile } from './edits';
export { functionNameProblem, logicalIdFor } from './names';
export {
  ARCHITECTURES,
  DEFAULT_ARCHITECTURE,
  DEFAULT_PACKAGE_TYPE,
  EVENT_SOURCES,
  LANGUAGES,
  languagesFor,
  PACKAGE_TYPES,
  RUNTIMES,
  type ArchitectureOption,
  type EventSourceId,
  type EventSourceOption,
  type LanguageId,
  type LanguageOption,
  type PackageTypeId,
  type PackageTypeOption,
  type RuntimeId,
  type RuntimeOption,
} from './options';
export { newFunctionNameProblem, planNewFunction, type ProjectSnapshot, type ScaffoldPlan } from './plan';
export { readProject } from './project';
export { resolveRequest, ScaffoldInputError, type NewFunctionRequest, type RequestField, type ResolvedFunction } from './request';
