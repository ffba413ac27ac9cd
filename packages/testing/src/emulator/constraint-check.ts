import { CodePipelineApiError, CodePipelineErrorName } from './codepipeline-errors.js';

/** Constraints on one string member. */
export interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp;
  oneOf?: readonly string[];
}

/**
 * Collects constraint violations the way the real service words them
 * ("2 validation errors detected: Value ... at 'path' failed to satisfy
 * constraint: ..."), so one request reports all of them at once. A value of
 * the wrong JSON type is a `SerializationException`, as with the real service.
 *
 * @example
 * ```ts
 * const check = new ConstraintCheck();
 * check.string('jobId', input.jobId, { required: true, pattern: /^[0-9a-f-]{36}$/ });
 * check.throwIfAny(); // ValidationException listing every violation
 * ```
 */
export class ConstraintCheck {
  private readonly violations: string[] = [];

  public object(path: string, value: unknown, required: boolean): Record<string, unknown> | null {
    if (value === undefined || value === null) {
      if (required)
        this.violations.push(
          `Value null at '${path}' failed to satisfy constraint: Member must not be null`,
        );
      return null;
    }
    if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(path, 'a structure');
    return value as Record<string, unknown>;
  }

  public string(path: string, value: unknown, rule: StringRule): string | undefined {
    if (value === undefined || value === null) {
      if (rule.required)
        this.violations.push(
          `Value null at '${path}' failed to satisfy constraint: Member must not be null`,
        );
      return undefined;
    }
    if (typeof value !== 'string') throw wrongType(path, 'a string');
    const shown = `Value '${value.length > 64 ? `${value.slice(0, 64)}...` : value}' at '${path}'`;
    if (rule.min !== undefined && value.length < rule.min) {
      this.violations.push(
        `${shown} failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`,
      );
    }
    if (rule.max !== undefined && value.length > rule.max) {
      this.violations.push(
        `${shown} failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`,
      );
    }
    if (rule.pattern && value.length > 0 && !rule.pattern.test(value)) {
      this.violations.push(
        `${shown} failed to satisfy constraint: Member must satisfy regular expression pattern: ${rule.pattern.source.replace(/^\^|\$$/g, '')}`,
      );
    }
    if (rule.oneOf && !rule.oneOf.includes(value)) {
      this.violations.push(
        `${shown} failed to satisfy constraint: Member must satisfy enum value set: [${rule.oneOf.join(', ')}]`,
      );
    }
    return value;
  }

  public integer(path: string, value: unknown, min: number, max?: number): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number') throw wrongType(path, 'a number');
    if (!Number.isInteger(value)) {
      this.violations.push(
        `Value '${value}' at '${path}' failed to satisfy constraint: Member must be an integer`,
      );
    } else if (value < min) {
      this.violations.push(
        `Value '${value}' at '${path}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`,
      );
    } else if (max !== undefined && value > max) {
      this.violations.push(
        `Value '${value}' at '${path}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
      );
    }
    return value;
  }

  public stringMap(
    path: string,
    value: unknown,
    keyPattern?: RegExp,
  ): Record<string, string> | undefined {
    const map = this.object(path, value, false);
    if (!map) return undefined;
    for (const [key, entry] of Object.entries(map)) {
      if (typeof entry !== 'string') throw wrongType(`${path}.${key}`, 'a string');
      if (keyPattern && !keyPattern.test(key)) {
        this.violations.push(
          `Value '${key}' at '${path}' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ${keyPattern.source.replace(/^\^|\$$/g, '')}]`,
        );
      }
    }
    return map as Record<string, string>;
  }

  /** Adds a violation that is not about one member's own constraint. */
  public rule(message: string): void {
    this.violations.push(message);
  }

  public throwIfAny(): void {
    const count = this.violations.length;
    if (count === 0) return;
    throw new CodePipelineApiError(
      CodePipelineErrorName.Validation,
      `${count} validation error${count === 1 ? '' : 's'} detected: ${this.violations.join('; ')}`,
    );
  }
}

/** A value of the wrong JSON type, as the real service answers it. */
export function wrongType(path: string, expected: string): CodePipelineApiError {
  return new CodePipelineApiError(
    CodePipelineErrorName.Serialization,
    `Cannot deserialize '${path}': expected ${expected}`,
  );
}

/** The request body as an object, or a `SerializationException`. */
export function requestBody(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new CodePipelineApiError(
      CodePipelineErrorName.Serialization,
      'The request body must be a JSON object',
    );
  }
  return input as Record<string, unknown>;
}
