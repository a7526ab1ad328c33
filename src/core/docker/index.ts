// The Docker engine: found the way the docker CLI finds it, checked before any container work.
export { type Engine, type EngineCheck, type EngineInfo, type EngineOptions, checkEngine, openEngine, probeEngine } from './engine';
export { type EngineEndpoint, type EndpointOptions, resolveEndpoint } from './endpoint';
export { engineError, startHint } from './engineError';
