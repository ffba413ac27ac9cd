import * as iam from 'aws-cdk-lib/aws-iam';
import { BATON_RUN_LIST_INDEX } from './baton-table.js';

/**
 * The DynamoDB actions Baton's run store sends to its table, and nothing
 * else: `UpdateItem` claims a run, renews and releases its lease, commits
 * it, and reads the run item of a job whose parameters are refused (a
 * conditional update that never applies and returns the item as it is, so no
 * `GetItem` is needed); `PutItem` moves a group of history records from the
 * run item to a history item every few invocations. Reading runs (`Query`,
 * `Scan`) is for operators (`baton runs`), not for the function.
 */
export const BATON_STORE_ACTIONS = ['dynamodb:UpdateItem', 'dynamodb:PutItem'] as const;

/**
 * The CodePipeline actions a Lambda invoke action's function calls to answer
 * its job. They take no resource-level permissions, hence `Resource: "*"`.
 */
export const JOB_RESULT_ACTIONS = [
  'codepipeline:PutJobSuccessResult',
  'codepipeline:PutJobFailureResult',
] as const;

/**
 * The statement that lets a function use Baton's table: {@link BATON_STORE_ACTIONS}
 * on that one table ARN.
 *
 * @example
 * ```ts
 * role.addToPrincipalPolicy(storeStatement(table.tableArn));
 * ```
 */
export function storeStatement(tableArn: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'BatonRunStore',
    actions: [...BATON_STORE_ACTIONS],
    resources: [tableArn],
  });
}

/**
 * The statement that lets a function report its CodePipeline job's result.
 * It has no `sid`, so it equals the one `LambdaInvokeAction` adds and the
 * policy keeps one copy.
 *
 * @example
 * ```ts
 * role.addToPrincipalPolicy(jobResultStatement());
 * ```
 */
export function jobResultStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: [...JOB_RESULT_ACTIONS],
    resources: ['*'],
  });
}

/**
 * What the scheduled sweep (`sweepRuns`) sends, and nothing else:
 * `dynamodb:Query` on the table's `runs-by-status` index (the running runs),
 * then `dynamodb:BatchGetItem` (those run items, since the index projects
 * only `jobName`) and `dynamodb:UpdateItem` (the conditional write that marks
 * a run abandoned) on the table. No `Scan`: the index makes it unneeded.
 */
export const SWEEP_INDEX_ACTIONS = ['dynamodb:Query'] as const;
/** The sweep's actions on the table itself; see {@link SWEEP_INDEX_ACTIONS}. */
export const SWEEP_TABLE_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'] as const;

/**
 * The statements that let the sweep run on Baton's table:
 * {@link SWEEP_INDEX_ACTIONS} on the `runs-by-status` index's ARN and
 * {@link SWEEP_TABLE_ACTIONS} on the table's ARN.
 *
 * @example
 * ```ts
 * for (const statement of sweepStatements(table.tableArn)) role.addToPrincipalPolicy(statement);
 * ```
 */
export function sweepStatements(tableArn: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'BatonSweepRunningRuns',
      actions: [...SWEEP_INDEX_ACTIONS],
      resources: [`${tableArn}/index/${BATON_RUN_LIST_INDEX.name}`],
    }),
    new iam.PolicyStatement({
      sid: 'BatonSweepMarkRuns',
      actions: [...SWEEP_TABLE_ACTIONS],
      resources: [tableArn],
    }),
  ];
}
