declare const LWB_VERSION: string | undefined;

/** The product's version, stamped in at build time from package.json. */
export const VERSION: string = typeof LWB_VERSION === 'string' ? LWB_VERSION : '0.0.0-dev';
