// The local HTTP front door: the templates' API routes, function URLs and load balancer targets
// served on 127.0.0.1 the way API Gateway, Lambda and Elastic Load Balancing call functions.
export { formatRequest, type RequestLog } from './requestLog';
export type { ReloadEvent } from './functionCode';
export { DEFAULT_CONCURRENCY, DEFAULT_SERVE_PORT } from './defaults';
export { LocalApi, type LocalApiOptions } from './localApi';
export { describeTemplateReload, type TemplateReloadEvent } from './templateReload';
export { buildServeTable } from './table';
export type { ListenerSpec, RouteSpec, ServedRoute, ServeTable } from './types';
