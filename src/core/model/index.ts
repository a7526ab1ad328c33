// The template model: SAM/CloudFormation templates -> typed functions and layers with source ranges.
export { checkHandlers, type CheckOptions, locateHandler } from './handlers';
export { discoverTemplates, type DiscoverOptions, SKIPPED_DIRS, TEMPLATE_NAMES } from './discover';
export { functionKey } from './key';
export { describeValue, isIntrinsic, IntrinsicValue, toCfnJson } from './intrinsics';
export { parseTemplate } from './template';
export { SHORT_FORM_TAGS } from './tags';
export { functionUsesPath, loadTemplate, loadWorkspace, templatesAffectedBy } from './workspace';
export type * from './types';
