import { afterEach, describe, expect, it } from 'vitest';
import {
  type DeploymentService,
  type DeploymentServiceEvent,
  type DeploymentServiceOptions,
  startDeploymentService,
} from '../src/index.js';

const services: DeploymentService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.stop()));
});

async function service(options: DeploymentServiceOptions) {
  const started = await startDeploymentService(options);
  services.push(started);
  return started;
}

const post = (url: string, key: string, signal?: AbortSignal) =>
  fetch(`${url}/deployments`, {
    method: 'POST',
    headers: { 'idempotency-key': key },
    body: '{"v":1}',
    ...(signal ? { signal } : {}),
  });

describe('demo deployment service: held answers and request events', () => {
  it('holds the first created answer until the caller hangs up; the deployment stays for its retry', async () => {
    const events: DeploymentServiceEvent[] = [];
    const caller = new AbortController();
    let held!: () => void;
    const holding = new Promise<void>((resolve) => {
      held = resolve;
    });
    const target = await service({
      holdFirstStartMs: 60_000,
      onRequest: (event) => {
        events.push(event);
        if (event.kind === 'holding') held();
      },
    });
    const first = post(target.url, 'k1', caller.signal);
    await holding;
    caller.abort(new Error('the caller died'));
    await expect(first).rejects.toThrow('the caller died');

    const retry = await post(target.url, 'k1');
    expect(retry.status).toBe(200);
    const body = (await retry.json()) as { id: string };
    expect(target.deployments().map((deployment) => deployment.id)).toEqual([body.id]);
    expect(target.starts).toEqual({ created: 1, duplicates: 1, unavailable: 0 });
    expect(events.map((event) => event.kind)).toEqual(['holding', 'caller-gone', 'duplicate']);
    expect(events[2]).toEqual({
      kind: 'duplicate',
      deploymentId: body.id,
      status: 'IN_PROGRESS',
      progress: 0,
      httpStatus: 200,
    });
  });

  it('answers a held start once the hold is over, and holds only the first', async () => {
    const events: DeploymentServiceEvent[] = [];
    const target = await service({
      holdFirstStartMs: 20,
      onRequest: (event) => events.push(event),
    });
    expect((await post(target.url, 'a')).status).toBe(201);
    expect((await post(target.url, 'b')).status).toBe(201);
    expect(events.map((event) => event.kind)).toEqual(['holding', 'created', 'created']);
  });

  it('reports status reads and unavailable starts', async () => {
    const events: DeploymentServiceEvent[] = [];
    const target = await service({
      stepsToSucceed: 1,
      unavailableStarts: 1,
      onRequest: (event) => events.push(event),
    });
    expect((await post(target.url, 'x')).status).toBe(503);
    const { id } = (await (await post(target.url, 'x')).json()) as { id: string };
    await fetch(`${target.url}/deployments/${id}`);
    expect(events).toEqual([
      { kind: 'unavailable', httpStatus: 503 },
      { kind: 'created', deploymentId: id, status: 'IN_PROGRESS', progress: 0, httpStatus: 201 },
      { kind: 'status', deploymentId: id, status: 'SUCCEEDED', progress: 100, httpStatus: 200 },
    ]);
  });

  it('keeps serving when an observer throws', async () => {
    const target = await service({
      onRequest: () => {
        throw new Error('observer bug');
      },
    });
    expect((await post(target.url, 'k')).status).toBe(201);
  });
});
