/**
 * Turns any value into plain JSON data that can always be serialised, so a
 * log call can never throw: cycles, `BigInt`, throwing getters, `toJSON` that
 * throws, functions, symbols and huge values each become a short description.
 */

/** Bounds of {@link toLoggable}. */
export interface LoggableLimits {
  /** Longest string kept (UTF-16 units); longer ones are cut, after `redact`. */
  maxStringLength: number;
  /** Deepest nesting kept. */
  maxDepth: number;
  /** Most keys kept of one object, items of one array. */
  maxEntries: number;
}

/** Defaults: generous for logs, far under CloudWatch's 256 KB per event. */
export const DEFAULT_LOGGABLE_LIMITS: LoggableLimits = {
  maxStringLength: 8192,
  maxDepth: 10,
  maxEntries: 100,
};

/** Options of {@link toLoggable}. */
export interface LoggableOptions {
  /** Applied to every string (and key) before it is cut. @default identity */
  redact?: (text: string) => string;
  /** Keys whose values are replaced whatever they hold. @default none */
  secretKey?: (key: string) => boolean;
  /** @default {@link DEFAULT_LOGGABLE_LIMITS} */
  limits?: Partial<LoggableLimits>;
}

/** What a value under a secret key becomes. */
export const REDACTED = '[REDACTED]';

/**
 * Copies `value` into JSON-safe data. Never throws.
 *
 * @example
 * ```ts
 * const loop: Record<string, unknown> = {};
 * loop.self = loop;
 * JSON.stringify(toLoggable({ loop, n: 10n })); // '{"loop":{"self":"[Circular]"},"n":"10"}'
 * ```
 */
export function toLoggable(value: unknown, options: LoggableOptions = {}): unknown {
  const limits = { ...DEFAULT_LOGGABLE_LIMITS, ...options.limits };
  const redact = options.redact ?? ((text: string) => text);
  const secretKey = options.secretKey ?? (() => false);
  const ancestors: object[] = [];

  const text = (raw: string): string => {
    const clean = safely(() => redact(raw), REDACTED);
    return clean.length <= limits.maxStringLength
      ? clean
      : `${cutAt(clean, limits.maxStringLength)}…[${clean.length - limits.maxStringLength} more characters]`;
  };

  const visit = (input: unknown, depth: number): unknown => {
    switch (typeof input) {
      case 'string':
        return text(input);
      case 'number':
        return Number.isFinite(input) ? input : String(input);
      case 'boolean':
        return input;
      case 'bigint':
        return input.toString();
      case 'undefined':
        return undefined;
      case 'symbol':
        return text(safely(() => input.toString(), '[Symbol]'));
      case 'function':
        return `[Function ${text(safely(() => input.name, '') || 'anonymous')}]`;
    }
    if (input === null) return null;
    const object = input as object;
    if (ancestors.includes(object)) return '[Circular]';
    if (depth >= limits.maxDepth) return '[Nested too deep]';
    ancestors.push(object);
    try {
      return visitObject(object, depth);
    } catch (err) {
      return `[Unreadable: ${text(describeThrown(err))}]`;
    } finally {
      ancestors.pop();
    }
  };

  const visitObject = (object: object, depth: number): unknown => {
    if (isError(object)) return visitError(object, depth);
    if (ArrayBuffer.isView(object)) {
      return `[${object.constructor?.name ?? 'binary'} of ${object.byteLength} bytes]`;
    }
    const toJSON = (object as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      let json: unknown;
      try {
        json = toJSON.call(object);
      } catch (err) {
        return `[toJSON threw: ${text(describeThrown(err))}]`;
      }
      return json === object ? '[toJSON returned itself]' : visit(json, depth + 1);
    }
    if (Array.isArray(object)) {
      const items = object.slice(0, limits.maxEntries).map((item) => {
        const v = visit(item, depth + 1);
        return v === undefined ? null : v;
      });
      if (object.length > limits.maxEntries) {
        items.push(`[${object.length - limits.maxEntries} more items]`);
      }
      return items;
    }
    if (object instanceof Map) return visit(Object.fromEntries(object), depth);
    if (object instanceof Set) return visit([...object], depth);
    return visitEntries(object, depth);
  };

  const visitEntries = (object: object, depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(object);
    for (const key of keys.slice(0, limits.maxEntries)) {
      if (secretKey(key)) {
        out[text(key)] = REDACTED;
        continue;
      }
      let v: unknown;
      try {
        v = (object as Record<string, unknown>)[key];
      } catch (err) {
        v = `[getter threw: ${describeThrown(err)}]`;
      }
      const loggable = visit(v, depth + 1);
      if (loggable !== undefined) out[text(key)] = loggable;
    }
    if (keys.length > limits.maxEntries) {
      out['…'] = `${keys.length - limits.maxEntries} more keys`;
    }
    return out;
  };

  const visitError = (error: Error, depth: number): Record<string, unknown> => {
    const read = (key: string): unknown => {
      try {
        return (error as unknown as Record<string, unknown>)[key];
      } catch (err) {
        return `[getter threw: ${describeThrown(err)}]`;
      }
    };
    const out: Record<string, unknown> = {};
    for (const key of ['name', 'message', 'stack', 'cause'] as const) {
      const v = read(key);
      if (v === undefined) continue;
      out[key] = visit(v, depth + 1);
    }
    // Own fields such as `code` or `statusCode` help; the ones above are done.
    for (const [key, v] of Object.entries(visitEntries(error, depth))) {
      if (!(key in out)) out[key] = v;
    }
    return out;
  };

  return safely(() => visit(value, 0), '[Unloggable value]');
}

/**
 * `JSON.stringify` that never throws: the value goes through
 * {@link toLoggable} first.
 *
 * @example
 * ```ts
 * safeStringify({ n: 1n }); // '{"n":"1"}'
 * ```
 */
export function safeStringify(value: unknown, options?: LoggableOptions): string {
  return safely(() => JSON.stringify(toLoggable(value, options)) ?? 'undefined', '"[Unloggable]"');
}

/**
 * A short text for anything thrown, which never throws itself.
 *
 * @example
 * ```ts
 * describeThrown(undefined); // 'undefined'
 * ```
 */
export function describeThrown(thrown: unknown): string {
  return safely(() => {
    if (thrown instanceof Error) return `${String(thrown.name)}: ${String(thrown.message)}`;
    if (typeof thrown === 'object' && thrown !== null) return safeStringify(thrown);
    return String(thrown);
  }, '[an unreadable value]');
}

/** Cuts `text` to at most `max` UTF-16 units without splitting a surrogate pair. */
export function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = max > 0 && isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, Math.max(0, end));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isError(value: object): value is Error {
  return value instanceof Error;
}

function safely<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
