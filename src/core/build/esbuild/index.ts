// esbuild bundling for Node functions with BuildMethod esbuild: what the package holds instead of the code folder.
export { bundleFunction, type BundleOptions, type BundleOutput, type BundleResult, type EsbuildApi, type EsbuildLoader, loadEsbuild } from './bundle';
export { type BundleSettings, esbuildOptions, type EsbuildTarget } from './options';
