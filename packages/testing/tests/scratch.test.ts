import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { formatTimelineEvent, runLambdaAction } from '../src/index.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
for (const n of [1, 2, 3, 4, 5, 6]) {
  it(`scratch ${n}`, async () => {
    const lines: string[] = [];
    const result = await runLambdaAction({
      handler: './counting-handler.ts#handler',
      cwd: fixtures,
      timeScale: 1 / 10_000,
      userParameters: { sleepMs: 300, steps: 2 },
      environment: { DEBUG_CLOCK: '1' },
      faults: [{ kind: 'cut-off', at: { afterMs: 50 }, when: { attempt: 1 } }],
      onEvent: (e) => lines.push(formatTimelineEvent(e)),
    });
    if (result.status !== 'Succeeded') console.log(lines.join('\n'));
    expect(result.status).toBe('Succeeded');
  });
}
