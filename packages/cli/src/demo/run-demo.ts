import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HistoryRecord, RunRecord } from '@baton/core';
import {
  type Deployment,
  type DeploymentServiceEvent,
  DeploymentServiceEventKind,
  DuplicateMode,
  type Fault,
  FaultKind,
  type LambdaActionResult,
  type StartCounters,
  startDeploymentService,
} from '@baton/testing';
import { formatActionOutcome } from '../action-outcome.js';
import type { TextSink } from '../cli-command.js';
import { startLocalStack } from '../local-stack.js';
import { writeStoredRun } from '../stored-run.js';
import { formatClock, formatDuration, shortenId } from '../text-format.js';
import { TimelineDisplay } from '../timeline-display.js';

const DEPLOY_AND_WAIT_ENTRY = '@baton/handlers/deploy-and-wait';

/**
 * How the demo is set up. The numbers fit together: with a 3 s function
 * timeout Baton keeps 0.75 s for commit and report, so a 1.5 s wait between
 * status polls never fits in what is left of an invocation and always goes
 * through a continuation; at a time scale of 1/20 the next job arrives
 * 31 pipeline seconds (1.55 s) later, just after the wait is over.
 */
export const DEMO_SETTINGS = {
  /** Real ms per pipeline ms between invocations: a pipeline minute takes 3 s. */
  timeScale: 1 / 20,
  /** The Lambda function timeout. */
  functionTimeoutMs: 3000,
  /** `intervalSeconds` of deploy-and-wait: time between status polls. */
  intervalSeconds: 1.5,
  /** The demo deployment succeeds at this status poll. */
  statusPollsToSucceed: 4,
  /** Job 1's first invocation is killed this long after it started. */
  crashAfterMs: 1000,
  /** The job whose event is delivered twice. */
  duplicateJob: 2,
  /** The table created on DynamoDB Local. */
  tableName: 'baton-demo',
} as const;

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Where the demo writes. @default process.stdout */
  out?: TextSink;
  /**
   * Real ms per pipeline ms between invocations. Faster than the default,
   * continuations arrive before the 1.5 s waits are over and Baton answers
   * them with short "not due yet" continuations; it still succeeds.
   * @default DEMO_SETTINGS.timeScale (1/20)
   */
  timeScale?: number;
  /** Stops the demo (and everything it started) early. */
  signal?: AbortSignal;
}

/** What the demo came to. */
export interface DemoResult {
  /** The played action, as the emulator saw it. */
  action: LambdaActionResult;
  /** The demo service's deployments and start counters at the end. */
  deployments: Deployment[];
  starts: StartCounters;
  /** The run as read back from DynamoDB, if the action got that far. */
  run?: { run: RunRecord; history: HistoryRecord[] };
  /** Everything the demo wrote. */
  output: string;
}

/**
 * The Baton demo: starts DynamoDB Local, the CodePipeline emulator and the
 * demo deployment service, then plays the `deploy-and-wait` action through
 * several invocations in a worker thread — the first killed for real while
 * its start request is in flight, one event delivered twice — printing the
 * timeline live, then the outcome and the run's history read back from
 * DynamoDB. Stops everything it started, also on failure or abort.
 *
 * @example
 * ```ts
 * const { action } = await runDemo({ out: process.stdout });
 * process.exitCode = action.status === 'Succeeded' ? 0 : 1;
 * ```
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const sink = options.out ?? process.stdout;
  let output = '';
  const out: TextSink = {
    write: (text: string) => {
      output += text;
      return sink.write(text);
    },
  };
  const startedAt = performance.now();
  const timeScale = options.timeScale ?? DEMO_SETTINGS.timeScale;
  const settings = DEMO_SETTINGS;
  out.write('Baton demo: deploy-and-wait, played by the local CodePipeline emulator\n\n');

  let display: TimelineDisplay | undefined;
  const service = await startDeploymentService({
    stepsToSucceed: settings.statusPollsToSucceed,
    holdFirstStartMs: 60_000,
    onRequest: (event) => display?.note('service', describeServiceEvent(event)),
  });
  try {
    const stack = await startLocalStack({ tableName: settings.tableName, timeScale });
    try {
      const handler = handlerModule();
      const userParameters = {
        deployUrl: `${service.url}/deployments`,
        deployBody: { service: 'web', version: '2.0.0' },
        statusUrl: `${service.url}/deployments/{id}`,
        intervalSeconds: settings.intervalSeconds,
        timeoutSeconds: 600,
      };
      const faults: Fault[] = [
        {
          kind: FaultKind.CutOff,
          at: { afterMs: settings.crashAfterMs },
          when: { sequence: 1, attempt: 1, delivery: 1 },
        },
        {
          kind: FaultKind.DuplicateDelivery,
          mode: DuplicateMode.Sequential,
          when: { sequence: settings.duplicateJob },
        },
      ];
      const minute = formatDuration(60_000 * timeScale);
      out.write(
        [
          `DynamoDB Local (${stack.dynamodb.source}) at ${stack.dynamodb.endpoint}, table ${stack.tableName}`,
          `deployment service at ${service.url}: a deployment succeeds at its ${ordinal(settings.statusPollsToSucceed)} status poll`,
          `CodePipeline emulator at ${stack.emulator.endpoint}: a pipeline minute takes ${minute};`,
          `  the next job comes ${formatClock(31_000)} after a continuation, Lambda retries a failed invocation after 1:00 and 2:00`,
          `handler ${handler.display}#handler in a worker thread, function timeout ${formatDuration(settings.functionTimeoutMs)}:`,
          `  each ${settings.intervalSeconds}s wait between status polls outlasts what is left of an invocation, so it continues in a new job`,
          'faults:',
          `  job 1: the worker is killed ${settings.crashAfterMs} ms into its first invocation, while the start request is in flight`,
          `  job ${settings.duplicateJob}: the event is delivered a second time after its first invocation ended`,
          `UserParameters: ${JSON.stringify(userParameters)}`,
          '',
          TimelineDisplay.header(),
          '',
        ].join('\n'),
      );
      display = new TimelineDisplay({ out, store: stack.store });
      const action = await stack.emulator.runLambdaAction({
        handler: handler.spec,
        cwd: handler.cwd,
        conditions: handler.conditions,
        functionName: 'deploy-and-wait',
        functionTimeoutMs: settings.functionTimeoutMs,
        userParameters,
        faults,
        environment: stack.handlerEnvironment,
        onEvent: display.onEvent,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      await display.drain();
      out.write(`\n${formatActionOutcome(action)}`);
      out.write(`${describeService(service.starts, service.deployments())}\n`);
      const runId = display.runId;
      let run: DemoResult['run'];
      if (runId !== undefined) {
        out.write(
          `\nthe run as stored in DynamoDB (table ${stack.tableName}), read back with one query:\n`,
        );
        await writeStoredRun(stack.store, runId, out, Date.now());
        run = await stack.store.getRun(runId);
      }
      out.write(
        `\ndemo ${action.status === 'Succeeded' ? 'succeeded' : 'failed'} in ${formatDuration(performance.now() - startedAt)}; stopping DynamoDB Local, the emulator and the service\n`,
      );
      return {
        action,
        deployments: service.deployments(),
        starts: { ...service.starts },
        ...(run ? { run } : {}),
        output,
      };
    } finally {
      await stack.stop();
    }
  } finally {
    await service.stop();
  }
}

/**
 * The deploy-and-wait Lambda entry of `@baton/handlers`, resolved from this
 * package's directory as an installed dependency: from its TypeScript sources
 * when this module runs from `src` (the workspace's `source` export
 * condition), from its build otherwise.
 */
function handlerModule(): { spec: string; display: string; cwd: string; conditions: string[] } {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith('.ts');
  return {
    spec: `${DEPLOY_AND_WAIT_ENTRY}#handler`,
    display: DEPLOY_AND_WAIT_ENTRY,
    cwd: dirname(here),
    conditions: fromSource ? ['source'] : [],
  };
}

function describeServiceEvent(event: DeploymentServiceEvent): string {
  const id = shortenId(event.deploymentId ?? '');
  switch (event.kind) {
    case DeploymentServiceEventKind.Holding:
      return `start request: deployment ${id} created; the answer is held back`;
    case DeploymentServiceEventKind.CallerGone:
      return `the caller hung up before the answer; deployment ${id} stays`;
    case DeploymentServiceEventKind.Created:
      return `start request: deployment ${id} created (HTTP 201)`;
    case DeploymentServiceEventKind.Duplicate:
      return `start request with a known Idempotency-Key: the same deployment ${id}, nothing new started (HTTP 200)`;
    case DeploymentServiceEventKind.Unavailable:
      return 'start request answered HTTP 503';
    case DeploymentServiceEventKind.Status:
      return `status poll: deployment ${id} is ${event.status} at ${event.progress}%`;
  }
}

function describeService(starts: StartCounters, deployments: readonly Deployment[]): string {
  const polls = deployments.reduce((sum, deployment) => sum + deployment.statusReads, 0);
  const final = deployments.map((deployment) => `${shortenId(deployment.id)} ${deployment.status}`);
  return (
    `deployment service: ${starts.created} deployment${starts.created === 1 ? '' : 's'} created` +
    ` (${final.join(', ') || 'none'}), ${starts.duplicates} repeated start request${starts.duplicates === 1 ? '' : 's'}` +
    ` answered with the existing deployment, ${polls} status poll${polls === 1 ? '' : 's'}`
  );
}

function ordinal(n: number): string {
  const suffix =
    n % 10 === 1 && n !== 11
      ? 'st'
      : n % 10 === 2 && n !== 12
        ? 'nd'
        : n % 10 === 3 && n !== 13
          ? 'rd'
          : 'th';
  return `${n}${suffix}`;
}
