import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The ready-made jobs shipped as Lambda bundles (`scripts/bundle.mjs` builds them). */
export const ReadyMadeHandler = {
  WaitForHttp: 'wait-for-http',
  DeployAndWait: 'deploy-and-wait',
} as const;
export type ReadyMadeHandler = (typeof ReadyMadeHandler)[keyof typeof ReadyMadeHandler];

/** The handler setting of a ready-made bundle's Lambda function. */
export const READY_MADE_LAMBDA_HANDLER = 'index.handler';

const PACKAGE_NAME = '@baton/handlers';

/** Thrown when a ready-made bundle was not built. */
export class BundleNotFoundError extends Error {
  public override readonly name = 'BundleNotFoundError';
}

/**
 * Absolute path of a ready-made handler's Lambda zip (`dist/bundle/<name>.zip`
 * of this package; one file `index.mjs`, handler `index.handler`), for
 * deployment tools that upload it as is.
 *
 * @throws {BundleNotFoundError} when the bundle was not built
 * @example
 * ```ts
 * lambda.Code.fromAsset(readyMadeBundlePath('wait-for-http'));
 * ```
 */
export function readyMadeBundlePath(name: ReadyMadeHandler): string {
  const known = Object.values(ReadyMadeHandler) as string[];
  if (!known.includes(name)) {
    throw new BundleNotFoundError(
      `unknown ready-made handler '${name}'; known: ${known.join(', ')}`,
    );
  }
  return bundlePath(name);
}

/** Name of the scheduled sweep's bundle (`dist/bundle/sweep-runs.zip`). */
export const SWEEP_BUNDLE = 'sweep-runs';

/**
 * Absolute path of the scheduled sweep's Lambda zip (one file `index.mjs`,
 * handler `index.handler`): it runs `sweepRuns` on the table
 * `BATON_TABLE_NAME` and writes what it did as a log line and EMF metrics.
 *
 * @throws {BundleNotFoundError} when the bundle was not built
 * @example
 * ```ts
 * lambda.Code.fromAsset(sweepBundlePath());
 * ```
 */
export function sweepBundlePath(): string {
  return bundlePath(SWEEP_BUNDLE);
}

function bundlePath(name: string): string {
  const path = join(packageRoot(), 'dist', 'bundle', `${name}.zip`);
  if (!existsSync(path)) {
    throw new BundleNotFoundError(
      `the ${name} bundle is missing at ${path}: build it with \`pnpm --filter ${PACKAGE_NAME} bundle\``,
    );
  }
  return path;
}

// Found by walking up from this module, so it holds from the sources and from
// any build layout.
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === PACKAGE_NAME) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new BundleNotFoundError(`${PACKAGE_NAME}'s package.json not found`);
    dir = parent;
  }
}
