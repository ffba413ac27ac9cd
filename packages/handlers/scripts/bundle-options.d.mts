import type { BuildOptions } from 'esbuild';

/** esbuild options of Baton's Lambda bundles. */
export declare const BUNDLE_OPTIONS: BuildOptions;
