// The size engine: exact package sizes against Lambda's limits, findings with fixes, and attribution.
export { attribute, type Attribution, packageOf, type Piece } from './attribution';
export { checkWarnAt, classify, DEFAULT_WARN_AT } from './classify';
export { analyseDependencies, type DependencyAnalysis } from './dependencies';
export { SizeEngine, type MeasureOptions, type SizeEngineOptions } from './engine';
export { formatBytes, formatExact, formatPercent } from './format';
export { IGNORE_FILE, isIgnored, parseIgnore } from './ignore';
export { builtImageRefs, finalBaseImage, type ImageSizeLookup } from './image';
export { lambdaLayerResolver, type LambdaLayerResolverOptions, type LayerSizeResolver, type ResolvedLayer } from './layers';
export { CATEGORY_PATTERNS, PACKAGE_RULES, type PackageRule, type ReportCategory } from './rules';
export type * from './types';
