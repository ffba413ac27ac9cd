import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** A stack in a fixed account and region, in an app of its own. */
export function testStack(): Stack {
  const app = new App();
  return new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
}

/** The synthesized template of `stack`. */
export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** The one resource of `type` in `template`, with its logical id. */
export function onlyResource(
  template: Template,
  type: string,
): { id: string; properties: Record<string, unknown> } {
  const found = Object.entries(template.findResources(type));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  const [id, resource] = found[0]!;
  return { id, properties: (resource as { Properties: Record<string, unknown> }).Properties };
}

/** A file or directory asset of a synthesized stack, from its asset manifest. */
export interface SynthesizedAsset {
  /** Absolute path in the cloud assembly. */
  path: string;
  packaging: string;
}

/** The code assets (not the template) of `stack`, synthesizing its app. */
export function codeAssetsOf(stack: Stack): SynthesizedAsset[] {
  const assembly = (stack.node.root as App).synth();
  const manifest = JSON.parse(
    readFileSync(join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8'),
  ) as { files: Record<string, { source: { path: string; packaging: string } }> };
  return Object.values(manifest.files)
    .map((file) => file.source)
    .filter((source) => source.path.startsWith('asset.'))
    .map((source) => ({
      path: join(assembly.directory, source.path),
      packaging: source.packaging,
    }));
}
