import type { HistoryRecord, InvocationResult, Outcome, RunStore } from '@baton/core';
import { decodeToken } from '@baton/core';
import { type TimelineEvent, TimelineEventType } from '@baton/testing';
import type { TextSink } from './cli-command.js';
import { describeHistoryEntry } from './format-run.js';
import { isRunId } from './run-id.js';
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
  store?: Pick<RunStore, 'getRun'>;
  /**
   * Show every line the handler printed (Baton's JSON logs included), not
   * only warnings, errors and stderr.
   * @default false
   */
  handlerLogs?: boolean;
  /**
   * Fold continuation jobs that came before the run's wait was over (no step
   * ran; Baton handed the run on at once) into one line per streak. They
   * are many when pipeline time runs much faster than the handler's waits.
   * @default true
   */
  collapseEarlyJobs?: boolean;
}

/** A continuation job whose lines are held until it is known whether it only re-checked a wait. */
interface HeldJob {
  sequence: number;
  lines: string[];
  invocationId?: string;
}

/** Consecutive continuation jobs that found the run not due yet. */
interface EarlyJobStreak {
  first: number;
  last: number;
  count: number;
  detail: string;
  elapsedMs: number;
  pipelineMs: number;
}

/** Width of the subject column (`j12-d1-a2`, `job 12`, `service`). */
const SUBJECT_WIDTH = 10;
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
  readonly #store: Pick<RunStore, 'getRun'> | undefined;
  readonly #handlerLogs: boolean;
  readonly #collapse: boolean;
  readonly #stepsShown = new Set<string>();
  #held: HeldJob | undefined;
  #early: EarlyJobStreak | undefined;
  #swallowEndOf: string | undefined;
  #queue: Promise<void> = Promise.resolve();
  #runId: string | undefined;
  #startedAt = performance.now();

  public constructor(options: TimelineDisplayOptions) {
    this.#out = options.out;
    this.#store = options.store;
    this.#handlerLogs = options.handlerLogs ?? false;
    this.#collapse = options.collapseEarlyJobs ?? true;
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
    this.#enqueue(async () => this.#release());
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
    const line = `${real}  ${pipeline}  ${subject.padEnd(SUBJECT_WIDTH)}  ${body}\n`;
    if (this.#held) this.#held.lines.push(line);
    else this.#out.write(line);
  }

  /** Writes the rest of a streak of early jobs and the held job's lines, and stops holding. */
  #release(): void {
    const held = this.#held;
    this.#held = undefined;
    const early = this.#early;
    this.#early = undefined;
    if (early && early.count > 1) {
      const more = early.count - 1;
      this.#line(
        early.elapsedMs,
        early.pipelineMs,
        'jobs',
        `⋯ jobs ${early.first + 1}–${early.last} (${more} more) came before the wait was over too;\neach handed the run on at once`,
      );
    }
    for (const line of held?.lines ?? []) this.#out.write(line);
  }

  /** Whether `event` may join the held job's lines (it is part of a plain continuation). */
  #mayHold(event: TimelineEvent, held: HeldJob): boolean {
    switch (event.type) {
      case TimelineEventType.InvocationStarted:
        if (
          event.sequence !== held.sequence ||
          event.delivery !== 1 ||
          event.attempt !== 1 ||
          held.invocationId !== undefined
        ) {
          return false;
        }
        held.invocationId = event.invocationId;
        return true;
      case TimelineEventType.ReportReceived:
        return event.sequence === held.sequence;
      case TimelineEventType.HandlerOutput:
        return this.#handlerLine(event.stream, event.text) === undefined;
      default:
        return false;
    }
  }

  async #show(event: TimelineEvent): Promise<void> {
    if (this.#collapse) {
      if (
        event.type === TimelineEventType.InvocationEnded &&
        event.invocationId === this.#swallowEndOf
      ) {
        this.#swallowEndOf = undefined;
        // The end of an early job that was folded away: nothing new to say.
        if (asInvocationResult(event.value)?.kind === 'reported') return;
      }
      if (event.type === TimelineEventType.JobCreated && event.continuationToken !== undefined) {
        // A streak of early jobs goes on until a job turns out to be more.
        if (this.#held) this.#release();
        this.#held = { sequence: event.sequence, lines: [] };
      } else if (this.#held && !this.#mayHold(event, this.#held)) {
        this.#release();
      }
    }
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
        if (result?.runId && isRunId(result.runId)) this.#runId ??= result.runId;
        if (result?.kind === 'reported') {
          const record = await this.#committedRecord(event.jobId);
          if (record) this.#showSteps(`job ${event.sequence}`, event, record);
        }
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
        // A job rejected before its run was identified is reported with its job id.
        if (runId && isRunId(runId)) this.#runId ??= runId;
        const record = await this.#committedRecord(
          event.jobId,
          runId && isRunId(runId) ? runId : undefined,
        );
        const held = this.#held;
        if (held?.sequence === event.sequence) {
          const lone = record?.entries.length === 1 ? record.entries[0] : undefined;
          if (
            lone?.outcome === 'resume-later' &&
            event.accepted &&
            event.answered &&
            body.continuationToken !== undefined
          ) {
            this.#held = undefined;
            this.#swallowEndOf = held.invocationId;
            this.#addEarlyJob(event, lone.detail ?? 'not due yet');
            return;
          }
          this.#release();
        }
        if (record) this.#showSteps(`job ${event.sequence}`, event, record);
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

  /**
   * The history record committed for job `jobId`, the first time it is asked
   * for (`undefined` afterwards, or when nothing was committed for it).
   */
  async #committedRecord(
    jobId: string,
    runId: string | undefined = this.#runId,
  ): Promise<HistoryRecord | undefined> {
    if (!this.#store || runId === undefined || this.#stepsShown.has(jobId)) return undefined;
    const found = await this.#store.getRun(runId);
    const record = found?.history.find((candidate) => candidate.jobId === jobId);
    if (record) this.#stepsShown.add(jobId);
    return record;
  }

  /**
   * Counts a job that found the run not due yet. The first of a streak is
   * shown at once; the rest are folded into one line when the streak ends.
   */
  #addEarlyJob(event: TimelineEvent & { sequence: number }, detail: string): void {
    const stamp = { elapsedMs: event.elapsedMs, pipelineMs: event.pipelineMs, detail };
    if (this.#early) {
      this.#early = {
        ...this.#early,
        ...stamp,
        last: event.sequence,
        count: this.#early.count + 1,
      };
      return;
    }
    this.#early = { ...stamp, first: event.sequence, last: event.sequence, count: 1 };
    this.#line(
      event.elapsedMs,
      event.pipelineMs,
      `job ${event.sequence}`,
      `⋯ came before the wait was over: no step ran (${detail});\nBaton handed the run on at once with a new continuation token (more such jobs are counted, not shown)`,
    );
  }

  /** Prints the steps a committed invocation ran. */
  #showSteps(subject: string, event: TimelineEvent, record: HistoryRecord): void {
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
      return 'a duplicate of a job another invocation is running or reporting: returned quietly';
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
