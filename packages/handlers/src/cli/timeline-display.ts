import type { InvocationResult, Outcome, RunStore } from '@baton/core';
import { decodeToken } from '@baton/core';
import { type TimelineEvent, TimelineEventType } from '@baton/testing';
import type { TextSink } from './cli-command.js';
import { describeHistoryEntry } from './format-run.js';
import {
  formatClock,
  formatDuration,
  progressBar,
  shortenId,
  shortenToken,
  truncate,
} from './text-format.js';

/** Options of {@link TimelineDisplay}. */
export interface TimelineDisplayOptions {
  /** Where lines go; one line per write, so it works without a terminal (CI logs). */
  out: TextSink;
  /**
   * Baton's run store: after each commit the display reads the run's history
   * to show the steps that invocation ran. Without it, steps are not shown.
   */
  store?: RunStore;
  /**
   * Show every line the handler printed (Baton's JSON logs included), not
   * only warnings, errors and stderr.
   * @default false
   */
  handlerLogs?: boolean;
}

/** Width of the subject column (`j12-d1-a2`, `job 12`, `service`). */
const SUBJECT_WIDTH = 9;
/** Width of the time columns. */
const TIME_WIDTH = 8;
/** Characters before the text column: real time, pipeline time, subject. */
const INDENT = ' '.repeat(TIME_WIDTH + 2 + TIME_WIDTH + 2 + SUBJECT_WIDTH + 2);

/** The report request bodies the display reads (reports carry no secrets). */
interface ReportBody {
  continuationToken?: string;
  executionDetails?: { summary?: string; percentComplete?: number; externalExecutionId?: string };
  outputVariables?: Record<string, string>;
  failureDetails?: { type?: string; message?: string; externalExecutionId?: string };
}

/**
 * Prints an emulated action's timeline live, one plain line per event:
 * jobs, invocations (cold starts, retries, duplicates), the steps each
 * committed invocation ran (read back from DynamoDB), reports with a
 * progress bar, shortened continuation tokens, injected faults, and the
 * handler's warnings. Lines are written in event order even though reading
 * the steps is asynchronous; {@link TimelineDisplay.drain} waits for the last.
 * Event bodies are never printed whole, so artifact credentials never are.
 *
 * @example
 * ```ts
 * const display = new TimelineDisplay({ out: process.stdout, store });
 * const result = await emulator.runLambdaAction({ handler, onEvent: display.onEvent });
 * await display.drain();
 * ```
 */
export class TimelineDisplay {
  readonly #out: TextSink;
  readonly #store: RunStore | undefined;
  readonly #handlerLogs: boolean;
  readonly #stepsShown = new Set<string>();
  #queue: Promise<void> = Promise.resolve();
  #runId: string | undefined;
  #startedAt = performance.now();

  public constructor(options: TimelineDisplayOptions) {
    this.#out = options.out;
    this.#store = options.store;
    this.#handlerLogs = options.handlerLogs ?? false;
  }

  /**
   * The column titles, to print before the first event.
   *
   * @example
   * ```ts
   * out.write(`${TimelineDisplay.header()}\n`);
   * ```
   */
  public static header(): string {
    return `${'real'.padStart(TIME_WIDTH)}  ${'pipeline'.padStart(TIME_WIDTH)}  ${'who'.padEnd(SUBJECT_WIDTH)}  what`;
  }

  /** The run id of the action, once an event revealed it. */
  public get runId(): string | undefined {
    return this.#runId;
  }

  /** Pass as `onEvent` to `runLambdaAction`. */
  public readonly onEvent = (event: TimelineEvent): void => {
    if (event.type === TimelineEventType.ActionStarted) {
      this.#startedAt = performance.now() - event.elapsedMs;
    }
    this.#enqueue(() => this.#show(event));
  };

  /**
   * Prints a line from outside the timeline (e.g. a demo service) in order
   * with it.
   */
  public note(subject: string, text: string): void {
    const elapsedMs = performance.now() - this.#startedAt;
    this.#enqueue(async () => this.#line(elapsedMs, undefined, subject, text));
  }

  /** Resolves once every line so far is written. */
  public async drain(): Promise<void> {
    await this.#queue;
  }

  #enqueue(task: () => Promise<void>): void {
    this.#queue = this.#queue.then(task).catch((err: unknown) => {
      this.#out.write(`(display error: ${err instanceof Error ? err.message : String(err)})\n`);
    });
  }

  #line(elapsedMs: number, pipelineMs: number | undefined, subject: string, text: string): void {
    const real = `${(elapsedMs / 1000).toFixed(2)}s`.padStart(TIME_WIDTH);
    const pipeline = (pipelineMs === undefined ? '' : formatClock(pipelineMs)).padStart(TIME_WIDTH);
    const body = text.split('\n').join(`\n${INDENT}`);
    this.#out.write(`${real}  ${pipeline}  ${subject.padEnd(SUBJECT_WIDTH)}  ${body}\n`);
  }

  async #show(event: TimelineEvent): Promise<void> {
    const at = (subject: string, text: string) =>
      this.#line(event.elapsedMs, event.pipelineMs, subject, text);
    switch (event.type) {
      case TimelineEventType.ActionStarted:
        return at('action', `started: function ${event.functionName}`);
      case TimelineEventType.JobCreated: {
        const token = event.continuationToken;
        if (token !== undefined) this.#learnRunIdFromToken(token);
        return at(
          `job ${event.sequence}`,
          token === undefined
            ? `created (${shortenId(event.jobId)}): the first job, no continuation token`
            : `created (${shortenId(event.jobId)}) with continuation token ${shortenToken(token)}`,
        );
      }
      case TimelineEventType.InvocationStarted: {
        const why =
          event.delivery > 1
            ? ' — a duplicate delivery of the event'
            : event.attempt > 1
              ? ` — Lambda's retry ${event.attempt - 1} of the event`
              : '';
        return at(
          event.invocationId,
          `▶ invoked in container ${event.containerId}${event.coldStart ? ' (cold start)' : ''}${why}`,
        );
      }
      case TimelineEventType.InvocationEnded: {
        const result = asInvocationResult(event.value);
        if (result?.runId) this.#runId ??= result.runId;
        if (result?.kind === 'reported')
          await this.#showSteps(`job ${event.sequence}`, event.jobId, event);
        return at(event.invocationId, `■ returned: ${describeResult(event.value, result)}`);
      }
      case TimelineEventType.InvocationErrored:
        return at(
          event.invocationId,
          `✖ threw ${event.error.name}: ${truncate(event.error.message, 300)}`,
        );
      case TimelineEventType.InvocationTimedOut:
        return at(
          event.invocationId,
          `✖ timed out after ${formatDuration(event.timeoutMs)} (the function timeout); Lambda stopped it`,
        );
      case TimelineEventType.InvocationCrashed:
        return at(event.invocationId, `✖ crashed: ${event.reason}`);
      case TimelineEventType.RetryScheduled:
        return at(
          `job ${event.sequence}`,
          `↻ Lambda retries the event${event.delivery > 1 ? ' (duplicate delivery)' : ''} in ${formatClock(event.delayMs)} pipeline time, as attempt ${event.attempt}`,
        );
      case TimelineEventType.RetriesExhausted:
        return at(`job ${event.sequence}`, '✖ Lambda gave up on the event: retries exhausted');
      case TimelineEventType.ReportReceived: {
        const body = (event.request ?? {}) as ReportBody;
        const runId =
          body.executionDetails?.externalExecutionId ?? body.failureDetails?.externalExecutionId;
        if (runId) this.#runId ??= runId;
        await this.#showSteps(`job ${event.sequence}`, event.jobId, event, runId);
        return at(`job ${event.sequence}`, describeReport(event, body));
      }
      case TimelineEventType.ApiCalled:
        return at(
          `job ${event.sequence}`,
          `${event.operation}${event.error ? ` refused: ${event.error}` : ''}`,
        );
      case TimelineEventType.FaultInjected:
        return at(
          event.invocationId ?? `job ${event.sequence}`,
          `⚡ fault ${event.fault}: ${event.detail}`,
        );
      case TimelineEventType.JobTimedOut:
        return at(`job ${event.sequence}`, `✖ timed out (${event.reason})`);
      case TimelineEventType.ActionFinished: {
        const failure = event.failureDetails
          ? `: ${event.failureDetails.type}: ${event.failureDetails.message}`
          : '';
        return at(
          'action',
          `${event.status === 'Succeeded' ? '✔' : '✖'} ${event.status} (${event.reason})${failure}`,
        );
      }
      case TimelineEventType.HandlerOutput: {
        const text = this.#handlerLine(event.stream, event.text);
        if (text !== undefined) at(event.invocationId ?? event.containerId, text);
        return;
      }
    }
  }

  /** Prints the steps the invocation that committed job `jobId` ran, once per job. */
  async #showSteps(
    subject: string,
    jobId: string,
    event: TimelineEvent,
    runId: string | undefined = this.#runId,
  ): Promise<void> {
    if (!this.#store || runId === undefined || this.#stepsShown.has(jobId)) return;
    const found = await this.#store.getRun(runId);
    const record = found?.history.find((candidate) => candidate.jobId === jobId);
    if (!record) return;
    this.#stepsShown.add(jobId);
    const lines =
      record.entries.length === 0
        ? ['· no step ran (too little time was left in the invocation)']
        : record.entries.map((entry) => `· ${describeHistoryEntry(entry)}`);
    this.#line(event.elapsedMs, event.pipelineMs, subject, lines.join('\n'));
  }

  #learnRunIdFromToken(token: string): void {
    try {
      this.#runId ??= decodeToken(token).runId;
    } catch {
      // Not a Baton token: the handler is not a Baton job; nothing to learn.
    }
  }

  /** What to print of a line the handler wrote, if anything. */
  #handlerLine(stream: 'stdout' | 'stderr', text: string): string | undefined {
    const log = parseLogLine(text);
    if (log) {
      if (!this.#handlerLogs && log.level !== 'WARN' && log.level !== 'ERROR') return undefined;
      const { level, message, timestamp: _t, service: _s, ...rest } = log;
      const error = describeLoggedError(rest.error);
      delete rest.error;
      const attributes =
        Object.keys(rest).length > 0 ? ` ${truncate(JSON.stringify(rest), 200)}` : '';
      return `log ${level} ${message}${error ? `: ${error}` : ''}${attributes}`;
    }
    if (!this.#handlerLogs && stream !== 'stderr') return undefined;
    return `${stream}: ${truncate(text, 300)}`;
  }
}

function describeReport(
  event: Extract<TimelineEvent, { type: 'report-received' }>,
  body: ReportBody,
): string {
  const status = event.accepted
    ? event.answered
      ? 'accepted'
      : 'accepted, but the answer never reached the function'
    : event.error === 'dropped'
      ? 'lost: the function died as it reported'
      : `refused: ${event.error}${event.error === 'InvalidJobStateException' ? ' (the job already has a result)' : ''}`;
  if (event.operation === 'PutJobFailureResult') {
    const failure = body.failureDetails;
    return `◀ ${event.operation} ${status}\n${failure?.type ?? 'failure'}: ${truncate(failure?.message ?? '', 300)}`;
  }
  const details = body.executionDetails ?? {};
  const summary = details.summary === undefined ? '' : `  ${truncate(details.summary, 160)}`;
  if (body.continuationToken !== undefined) {
    const bar =
      details.percentComplete === undefined ? 'in progress' : progressBar(details.percentComplete);
    return `◀ ${event.operation} ${status}\n${bar}${summary}\ncontinuation token ${shortenToken(body.continuationToken)}`;
  }
  const variables = Object.entries(body.outputVariables ?? {})
    .map(([name, value]) => `${name}=${truncate(value, 80)}`)
    .join(', ');
  return `◀ ${event.operation} ${status}\n${progressBar(details.percentComplete ?? 100)}${summary}${variables ? `\noutput variables: ${variables}` : ''}`;
}

function asInvocationResult(value: unknown): InvocationResult | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Partial<InvocationResult>;
  return typeof candidate.kind === 'string' && typeof candidate.jobId === 'string'
    ? (candidate as InvocationResult)
    : undefined;
}

function describeResult(value: unknown, result: InvocationResult | undefined): string {
  if (!result) {
    return value === null || value === undefined ? 'ok' : truncate(JSON.stringify(value), 160);
  }
  const steps = `${result.stepsRun} step${result.stepsRun === 1 ? '' : 's'} run`;
  switch (result.kind) {
    case 'reported':
      return `committed, then reported ${outcomeWord(result.outcome)} (${steps})`;
    case 'resent':
      return `a duplicate of a job already committed: re-sent its stored ${outcomeWord(result.outcome)}, ran no step`;
    case 'in-progress':
      return 'a duplicate of a job another invocation is running: returned quietly';
    case 'stale':
      return 'a stale job of an older sequence: returned quietly';
    case 'rejected':
      return `rejected with ConfigurationError: ${truncate(result.outcome?.kind === 'fail' ? result.outcome.message : '', 200)}`;
    case 'lease-lost':
      return 'lost its lease to another invocation before committing: reported nothing';
  }
}

function outcomeWord(outcome: Outcome | undefined): string {
  switch (outcome?.kind) {
    case 'continue':
      return 'progress with a continuation token';
    case 'succeed':
      return 'success';
    case 'fail':
      return 'failure';
    default:
      return 'outcome';
  }
}

interface LogLine extends Record<string, unknown> {
  level: string;
  message: string;
}

function parseLogLine(text: string): LogLine | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return typeof parsed.level === 'string' && typeof parsed.message === 'string'
      ? (parsed as LogLine)
      : undefined;
  } catch {
    return undefined;
  }
}

function describeLoggedError(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, message } = error as { name?: unknown; message?: unknown };
  return typeof message === 'string'
    ? `${typeof name === 'string' ? `${name}: ` : ''}${truncate(message, 200)}`
    : undefined;
}
