import type { LogAttributes, Logger } from './logger.js';

const REDACTED = '[REDACTED]';
/** Keys whose values are never logged, whatever they hold. */
const SECRET_KEYS =
  /^(artifactCredentials|secretAccessKey|sessionToken|accessKeyId|authorization)$/i;

/**
 * Wraps a logger so that neither secret keys nor any of the given secret
 * values (anywhere inside a string) reach it. Baton wraps every logger it is
 * given with the artifact credentials of the current event.
 *
 * @example
 * ```ts
 * const safe = redactingLogger(logger, [creds.secretAccessKey, creds.sessionToken]);
 * safe.info('calling S3', { creds }); // creds → "[REDACTED]"
 * ```
 */
export function redactingLogger(inner: Logger, secrets: readonly string[] = []): Logger {
  const scrubString = (text: string): string => redactText(text, secrets);
  const scrub = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return scrubString(value);
    if (depth > 8 || value === null || typeof value !== 'object') return value;
    if (value instanceof Error) {
      return {
        name: value.name,
        message: scrubString(value.message),
        stack: value.stack === undefined ? undefined : scrubString(value.stack),
        ...(value.cause === undefined ? {} : { cause: scrub(value.cause, depth + 1) }),
      };
    }
    if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = SECRET_KEYS.test(key) ? REDACTED : scrub(v, depth + 1);
    }
    return out;
  };
  const wrap =
    (fn: (message: string, attributes?: LogAttributes) => void) =>
    (message: string, attributes?: LogAttributes) =>
      fn(
        scrubString(message),
        attributes === undefined ? undefined : (scrub(attributes, 0) as LogAttributes),
      );
  return {
    debug: wrap(inner.debug.bind(inner)),
    info: wrap(inner.info.bind(inner)),
    warn: wrap(inner.warn.bind(inner)),
    error: wrap(inner.error.bind(inner)),
  };
}

/**
 * Replaces every occurrence of the secret values in `text` with `[REDACTED]`.
 * Values shorter than 8 characters are left alone: they would redact innocent
 * text, and credentials are long.
 *
 * @example
 * ```ts
 * redactText('key=AKIAIOSFODNN7EXAMPLE', ['AKIAIOSFODNN7EXAMPLE']); // 'key=[REDACTED]'
 * ```
 */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (typeof secret === 'string' && secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  return out;
}
