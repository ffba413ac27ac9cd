/**
 * The `ts` examples of packages/cdk/README.md are the regions of
 * fixtures/readme-stack.ts between `readme:` markers, byte for byte once
 * unindented, and that stack synthesizes with what they promise.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ReadmeStack } from './fixtures/readme-stack.js';
import { templateOf } from './test-stack.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const stackFile = readFileSync(new URL('./fixtures/readme-stack.ts', import.meta.url), 'utf8');

const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');

/** The marked regions of the fixture, unindented by their first line's indent. */
function regions(): string[] {
  return [...stackFile.matchAll(/^( *)\/\/ readme:start\n([\s\S]*?)^ *\/\/ readme:end$/gm)].map(
    ([, indent = '', body = '']) =>
      body
        .split('\n')
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
        .join('\n'),
  );
}

describe('packages/cdk/README.md', () => {
  it('shows the fixture stack, byte for byte', () => {
    const [intro, ...rest] = blocks;
    const importLine = intro?.split('\n')[0] ?? '';
    // The intro's import names what the fixture imports from @baton/cdk (and more there).
    const imported = /^import \{ (.*) \} from '@baton\/cdk';$/.exec(importLine)?.[1]?.split(', ');
    const fixtureImport = /^import \{ (.*) \} from '@baton\/cdk';$/m
      .exec(stackFile)?.[1]
      ?.split(', ');
    expect(imported?.length).toBeGreaterThan(0);
    for (const name of imported ?? []) expect(fixtureImport).toContain(name);
    // The README explains the dashboard before the sweep it takes; the code makes the sweep first.
    expect([intro?.slice(importLine.length + 2), ...rest].sort()).toEqual(regions().sort());
  });

  it('synthesizes: the action in its stage, the sweep on its schedule, the dashboard', () => {
    const stack = new ReadmeStack(new App(), 'Readme');
    const template = templateOf(stack);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)' });
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Stages: [
        { Name: 'Source' },
        {
          Name: 'Verify',
          Actions: [
            {
              Name: 'Healthy',
              Configuration: {
                UserParameters: JSON.stringify({
                  url: 'https://api.example.com/health',
                  successWhen: { path: 'status', equals: 'UP' },
                }),
              },
            },
          ],
        },
      ],
    });
    // Every alarm, the sweep's included, notifies the topic.
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(8);
    for (const alarm of alarms) {
      expect(
        (alarm as { Properties: { AlarmActions?: unknown[] } }).Properties.AlarmActions,
      ).toHaveLength(1);
    }
  });
});
