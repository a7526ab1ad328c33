// Local runs: a Lambda Runtime API server per container, warm containers, real REPORT figures.
export { type BenchOptions, type BenchRun, type Percentiles, percentiles, runBench } from './bench';
export { defaultCacheDir } from './cacheDir';
export { InvocationClock } from './clock';
export { debuggable, type DebugLanguage, debugLanguage, type DebugOptions, type DebugTarget } from './debug';
export { type AwsCredentials, parseEnvFile, readEnvFile } from './environment';
export { BASE_IMAGES, imageForRuntime, type Progress } from './images';
export { type LambdaError, REQUEST_LIMIT_BYTES, RESPONSE_LIMIT_BYTES } from './lambdaErrors';
export { type LayerDownloader, LayerCache } from './layerCache';
export { lambdaLayerDownloader } from './layerDownload';
export type { LogEntry } from './logs';
export type { NetworkMode } from './network';
export { billedDurationMs, formatReportLine, type InvokeReport } from './report';
export type { ResponseStream, StreamEnd } from './responseStream';
export { type ContainerChange, type InvokeOptions, type InvokeResult, LocalRunner, type LocalRunnerOptions } from './runner';
export { MAX_MIN_WARM, type PoolTimers, WarmPool, type WarmPoolOptions, type WarmState, warmText } from './warmPool';
