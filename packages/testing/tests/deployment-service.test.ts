import { afterEach, describe, expect, it } from 'vitest';
import { type DeploymentService, startDeploymentService } from '../src/index.js';

const services: DeploymentService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.stop()));
});

async function service(options: Parameters<typeof startDeploymentService>[0] = {}) {
  const started = await startDeploymentService(options);
  services.push(started);
  return started;
}

async function post(url: string, body: string, key?: string) {
  const response = await fetch(`${url}/deployments`, {
    method: 'POST',
    headers: key === undefined ? {} : { 'idempotency-key': key },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function get(url: string, path: string) {
  const response = await fetch(`${url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('startDeploymentService', () => {
  it('listens on loopback on a free port', async () => {
    const { url } = await service();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('creates a deployment per POST without a key', async () => {
    const target = await service();
    const a = await post(target.url, '{"v":1}');
    const b = await post(target.url, '{"v":1}');
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.id).not.toBe(b.body.id);
    expect(a.body).toMatchObject({ status: 'IN_PROGRESS', progress: 0 });
    expect(target.starts).toEqual({ created: 2, duplicates: 0, unavailable: 0 });
  });

  it('honours Idempotency-Key: same key and body → same deployment, 200', async () => {
    const target = await service();
    const first = await post(target.url, '{"v":1}', 'k1');
    const repeat = await post(target.url, '{"v":1}', 'k1');
    expect(first.status).toBe(201);
    expect(repeat.status).toBe(200);
    expect(repeat.body.id).toBe(first.body.id);
    expect(target.starts).toEqual({ created: 1, duplicates: 1, unavailable: 0 });
    expect(target.deployments()).toEqual([
      expect.objectContaining({ id: first.body.id, idempotencyKey: 'k1', request: { v: 1 } }),
    ]);
  });

  it('answers 422 when a key is reused with another body', async () => {
    const target = await service();
    await post(target.url, '{"v":1}', 'k1');
    expect((await post(target.url, '{"v":2}', 'k1')).status).toBe(422);
    expect(target.deployments()).toHaveLength(1);
  });

  it('advances one stage per status GET, then reports the outcome', async () => {
    const target = await service({ stepsToSucceed: 2, outcome: 'FAILED' });
    const { body } = await post(target.url, '{}');
    const path = `/deployments/${String(body.id)}`;
    expect((await get(target.url, path)).body).toEqual({
      id: body.id,
      status: 'IN_PROGRESS',
      progress: 50,
    });
    expect((await get(target.url, path)).body).toMatchObject({ status: 'FAILED', progress: 100 });
    expect((await get(target.url, path)).body).toMatchObject({ status: 'FAILED' });
    expect(target.deployments()[0]).toMatchObject({ status: 'FAILED', statusReads: 3 });
  });

  it('ends at once with stepsToSucceed 0', async () => {
    const target = await service({ stepsToSucceed: 0 });
    const { body } = await post(target.url, '{}');
    expect(body).toMatchObject({ status: 'SUCCEEDED', progress: 100 });
  });

  it('advances by time, not by GETs, when stageMs is set', async () => {
    const target = await service({ stepsToSucceed: 1, stageMs: 3_600_000 });
    const { body } = await post(target.url, '{}');
    for (let i = 0; i < 3; i += 1) {
      expect((await get(target.url, `/deployments/${String(body.id)}`)).body.status).toBe(
        'IN_PROGRESS',
      );
    }
  });

  it('answers 503 to the first unavailableStarts POSTs without creating anything', async () => {
    const target = await service({ unavailableStarts: 2 });
    expect((await post(target.url, '{}', 'k')).status).toBe(503);
    expect((await post(target.url, '{}', 'k')).status).toBe(503);
    expect((await post(target.url, '{}', 'k')).status).toBe(201);
    expect(target.starts).toEqual({ created: 1, duplicates: 0, unavailable: 2 });
  });

  it.each([
    ['GET', '/deployments/unknown', 404],
    ['GET', '/deployments/%E0%A4%A', 404],
    ['GET', '/elsewhere', 404],
    ['DELETE', '/deployments/x', 405],
    ['GET', '/deployments', 405],
  ])('%s %s → %i', async (method, path, status) => {
    const target = await service();
    expect((await fetch(`${target.url}${path}`, { method })).status).toBe(status);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const target = await service();
    expect((await post(target.url, 'not json')).status).toBe(400);
    expect(target.deployments()).toEqual([]);
  });

  it('rejects a bad stepsToSucceed', async () => {
    await expect(startDeploymentService({ stepsToSucceed: -1 })).rejects.toThrow(/stepsToSucceed/);
  });
});
