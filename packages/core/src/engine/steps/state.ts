/**
 * The state as JSON, or an error saying why it cannot be stored: not
 * serialisable, not an object, or over `maxBytes`.
 *
 * @example
 * ```ts
 * serializeState({ polls: 1 }, 262_144, "the state after step 'poll'"); // '{"polls":1}'
 * ```
 */
export function serializeState(state: unknown, maxBytes: number, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(state);
  } catch (err) {
    throw new Error(`${what} is not JSON-serialisable: ${(err as Error).message}`, { cause: err });
  }
  if (json === undefined || !json.startsWith('{')) {
    throw new Error(`${what} must be a JSON object`);
  }
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > maxBytes) {
    throw new Error(
      `${what} is ${bytes} bytes of JSON, over the limit of ${maxBytes} bytes (maxStateBytes); keep large data outside the state (e.g. in S3) and store a reference`,
    );
  }
  return json;
}

/**
 * The state a step sees: the stored one, or the job's initial state on a new
 * run (then serialised, so a state that cannot be stored fails at once).
 *
 * @example
 * ```ts
 * const { state, stateJson } = loadState(job, params, cursor.stateJson);
 * ```
 */
export function loadState<S extends object, P>(
  job: { initialState(params: P): S; maxStateBytes: number },
  params: P,
  stateJson: string | undefined,
): { state: S; stateJson: string } {
  if (stateJson !== undefined) return { state: JSON.parse(stateJson) as S, stateJson };
  const state = job.initialState(params);
  return { state, stateJson: serializeState(state, job.maxStateBytes, 'the initial state') };
}
