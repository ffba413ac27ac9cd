import { levelCheck } from './level-check.js';
import { toLoggable } from './loggable.js';
import type { LogAttributes, Logger, LogMethod } from './logger.js';
import { createRedactor, type Redactor } from './secret-redactor.js';

/** Keys whose values are never logged, whatever they hold. */
const SECRET_KEYS =
  /^(artifactCredentials|secretAccessKey|sessionToken|accessKeyId|authorization)$/i;

/**
 * Wraps a logger so that neither secret keys nor any of the given secret
 * values (whole, URL-encoded, JSON-escaped or in pieces of 10 characters,
 * anywhere inside a string) reach it. Attributes reach the inner logger as
 * plain JSON data (cycles, `BigInt`, throwing getters and huge values made
 * safe), redacted before anything is cut; and a log call never throws, even
 * when the inner logger does. A line the inner logger's `isLevelEnabled`
 * says it drops is neither redacted nor copied. Baton wraps every logger it
 * is given with the artifact credentials of the current event.
 *
 * @example
 * ```ts
 * const safe = redactingLogger(logger, [creds.secretAccessKey, creds.sessionToken]);
 * safe.info('calling S3', { creds }); // creds → "[REDACTED]"
 * ```
 */
export function redactingLogger(inner: Logger, secrets: readonly string[] = []): Logger {
  const redact = redactorFor(secrets);
  const isLevelEnabled = levelCheck(inner);
  const wrap =
    (level: LogMethod) =>
    (message: string, attributes?: LogAttributes): void => {
      // A dropped line costs no redaction and no copy of its attributes.
      if (!isLevelEnabled(level)) return;
      try {
        const text = toLoggable(message, { redact });
        const safe =
          attributes === undefined
            ? undefined
            : toLoggable(attributes, { redact, secretKey: (key) => SECRET_KEYS.test(key) });
        inner[level](
          typeof text === 'string' ? text : String(text),
          isAttributes(safe) ? safe : safe === undefined ? undefined : { value: safe },
        );
      } catch {
        // A logger that throws must not change what the job does.
      }
    };
  return {
    debug: wrap('debug'),
    info: wrap('info'),
    warn: wrap('warn'),
    error: wrap('error'),
    isLevelEnabled,
  };
}

/**
 * Replaces every occurrence of the secret values in `text` with `[REDACTED]`:
 * whole, URL-encoded, JSON-escaped, and any run of 10-character pieces of
 * them. Values shorter than 8 characters are left alone: they would redact
 * innocent text, and credentials are long.
 *
 * @example
 * ```ts
 * redactText('key=AKIAIOSFODNN7EXAMPLE', ['AKIAIOSFODNN7EXAMPLE']); // 'key=[REDACTED]'
 * ```
 */
export function redactText(text: string, secrets: readonly string[]): string {
  return redactorFor(secrets)(text);
}

// One event's secrets are redacted from many texts: index them once per list.
const redactors = new WeakMap<readonly string[], Redactor>();

function redactorFor(secrets: readonly string[]): Redactor {
  let redactor = redactors.get(secrets);
  if (!redactor) {
    redactor = createRedactor(secrets);
    redactors.set(secrets, redactor);
  }
  return redactor;
}

function isAttributes(value: unknown): value is LogAttributes {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
