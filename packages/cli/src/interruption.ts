/**
 * `work`, or a rejection with the signal's reason as soon as `signal`
 * aborts (Ctrl-C), whichever comes first. Work that cannot be cancelled goes
 * on in the background; `onLateResult` disposes of what it yields after the
 * abort (e.g. stops a DynamoDB Local that finished starting).
 *
 * @example
 * ```ts
 * const local = await untilAborted(startDynamoDBLocal(), io.signal, (late) => void late.stop());
 * ```
 */
export function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  onLateResult?: (value: T) => void,
): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      reject(signal.reason ?? new Error('interrupted'));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (settled) onLateResult?.(value);
        else {
          settled = true;
          resolve(value);
        }
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!settled) {
          settled = true;
          reject(err);
        }
      },
    );
  });
}
