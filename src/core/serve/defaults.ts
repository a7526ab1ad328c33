/** The local API's defaults, for the CLI's flags and the editor's settings alike. */
export const DEFAULT_SERVE_PORT = 3000;
/** Concurrent invocations per function when the template sets no ReservedConcurrentExecutions. */
export const DEFAULT_CONCURRENCY = 10;
