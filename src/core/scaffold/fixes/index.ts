// Package-size fixes that move files and add template resources: planned here, confirmed and applied by the caller.
export { esbuildExternalEdits, useEsbuildEdits } from './esbuild';
export { planSwitchToImage } from './image';
export { planMoveToLayer } from './layer';
export { diskSources, type FixPlan, type FixSources } from './types';
