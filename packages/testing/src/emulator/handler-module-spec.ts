import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EmulatorConfigurationError } from './codepipeline-errors.js';
import type { HandlerModuleSpec } from './container-messages.js';

const EXPORT_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * Reads a handler module spec `'<path-or-package>#<export>'` (the export
 * defaults to `handler`). Paths (`./`, `../`, absolute, `file:`) resolve
 * against `cwd`; anything else is a package specifier, resolved from `cwd`
 * inside the container.
 *
 * @throws {EmulatorConfigurationError} when the spec is empty, names a file that does not exist, or
 * its export name is not an identifier.
 * @example
 * ```ts
 * parseHandlerModuleSpec('./src/handler.ts#handler', process.cwd());
 * parseHandlerModuleSpec('@acme/deploy-job#lambdaHandler', process.cwd());
 * ```
 */
export function parseHandlerModuleSpec(spec: string, cwd: string): HandlerModuleSpec {
  const hash = spec.lastIndexOf('#');
  // A leading '#' is a package import (`#internal/handler`), not an export name.
  const [path, exportName] =
    hash > 0 ? [spec.slice(0, hash), spec.slice(hash + 1)] : [spec, 'handler'];
  if (path.length === 0) {
    throw new EmulatorConfigurationError(`Handler module spec '${spec}' names no module`);
  }
  if (!EXPORT_NAME.test(exportName)) {
    throw new EmulatorConfigurationError(
      `Handler module spec '${spec}': '${exportName}' is not an export name`,
    );
  }
  const parentUrl = pathToFileURL(`${resolve(cwd)}/`).href;
  const isPath = path.startsWith('./') || path.startsWith('../') || isAbsolute(path);
  const specifier = path.startsWith('file:')
    ? path
    : isPath
      ? pathToFileURL(resolve(cwd, path)).href
      : path;
  // Lambda would only say ImportModuleError on every try; a wrong path in a test deserves a clear error now.
  if (specifier.startsWith('file:') && !existsSync(fileURLToPath(specifier))) {
    throw new EmulatorConfigurationError(
      `Handler module spec '${spec}': ${fileURLToPath(specifier)} does not exist`,
    );
  }
  return { specifier, exportName, parentUrl };
}
