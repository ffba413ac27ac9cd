import type { Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * The violations of cdk-nag's AwsSolutions rules in `stack`, as `rule:
 * description` lines.
 */
export function nagViolations(stack: Stack): string[] {
  const { violations } = new AwsSolutionsChecks(stack).validateScope(stack);
  return violations.map(
    (violation) => `${violation.ruleName}: ${violation.description.split('\n')[0]}`,
  );
}
