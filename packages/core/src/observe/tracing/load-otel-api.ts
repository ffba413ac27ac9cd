import type { OpenTelemetryApi } from './otel-types.js';

// In a variable, so bundlers neither fail on it when it is absent nor inline
// it: when it is installed beside the code, Node loads it at run time.
const OTEL_API_MODULE = '@opentelemetry/api';

// Where `@opentelemetry/api` 1.x keeps what was registered globally, shared by
// every copy of the API in the process (that is how copies interoperate).
const GLOBAL_API_KEY = Symbol.for('opentelemetry.js.api.1');

/**
 * Whether an OpenTelemetry SDK registered a global tracer provider (ADOT's
 * Lambda layer, `NodeSDK.start()`, `provider.register()`). Without one the API
 * only makes no-op spans, so Baton does not even load it.
 *
 * @example
 * ```ts
 * if (globalTracerProviderRegistered()) api = await loadOpenTelemetryApi();
 * ```
 */
export function globalTracerProviderRegistered(): boolean {
  const registry = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[GLOBAL_API_KEY];
  return registry?.trace !== undefined;
}

/**
 * Loads `@opentelemetry/api` if it can be found, else resolves `undefined`
 * (tracing stays off; nothing is logged or thrown). Called at most once, at
 * an invocation, never at module load.
 *
 * @example
 * ```ts
 * const api = await loadOpenTelemetryApi();
 * ```
 */
export async function loadOpenTelemetryApi(
  specifier: string = OTEL_API_MODULE,
): Promise<OpenTelemetryApi | undefined> {
  try {
    const mod = (await import(specifier)) as Partial<OpenTelemetryApi> & {
      default?: Partial<OpenTelemetryApi>;
    };
    const api = mod.trace && mod.context ? mod : mod.default;
    return api?.trace && api.context ? (api as OpenTelemetryApi) : undefined;
  } catch {
    return undefined;
  }
}
