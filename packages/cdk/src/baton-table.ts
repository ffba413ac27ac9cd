import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Name of the TTL attribute Baton writes (epoch seconds). */
export const BATON_TTL_ATTRIBUTE = 'expiresAt';

/**
 * The index `baton runs list` queries (`RUN_LIST_INDEX` of `@baton/core`):
 * `status` (S) + `createdAt` (N), projecting `jobName`. Only run items have
 * both keys, and they change only when a run starts or ends, so the
 * function's per-invocation writes never write to it.
 */
export const BATON_RUN_LIST_INDEX = {
  name: 'runs-by-status',
  partitionKey: 'status',
  sortKey: 'createdAt',
  projected: ['jobName'],
} as const;

/** Properties of {@link BatonTable}. */
export interface BatonTableProps {
  /**
   * Physical table name.
   * @default a name CloudFormation generates
   */
  readonly tableName?: string;
  /**
   * What happens to the table when it leaves the stack. Runs in flight and
   * their history live here, so it is kept unless told otherwise.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * A customer-managed key to encrypt the table with; the functions that use
   * the table are granted its use.
   * @default the AWS-owned key (DynamoDB's default encryption)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Point-in-time recovery.
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * Protects the table from `DeleteTable`.
   * @default false
   */
  readonly deletionProtection?: boolean;
}

/**
 * Baton's run table: partition key `pk` (S), sort key `sk` (S), TTL on
 * `expiresAt`, on-demand billing, the `runs-by-status` index that `baton
 * runs list` queries, point-in-time recovery, retained when removed from the
 * stack. One table serves any number of Baton functions.
 *
 * @example
 * ```ts
 * const table = new BatonTable(this, 'Runs');
 * new BatonFunction(this, 'Check', { table, handler: BatonHandler.waitForHttp() });
 * ```
 */
export class BatonTable extends Construct {
  /** The DynamoDB table. */
  public readonly table: dynamodb.Table;
  /** The customer-managed key, when the table has one. */
  public readonly encryptionKey: kms.IKey | undefined;

  public constructor(scope: Construct, id: string, props: BatonTableProps = {}) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.table = new dynamodb.Table(this, 'Table', {
      ...(props.tableName === undefined ? {} : { tableName: props.tableName }),
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: BATON_TTL_ATTRIBUTE,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: props.pointInTimeRecovery ?? true,
      },
      deletionProtection: props.deletionProtection ?? false,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      ...(props.encryptionKey === undefined
        ? {}
        : {
            encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryptionKey: props.encryptionKey,
          }),
    });
    this.table.addGlobalSecondaryIndex({
      indexName: BATON_RUN_LIST_INDEX.name,
      partitionKey: {
        name: BATON_RUN_LIST_INDEX.partitionKey,
        type: dynamodb.AttributeType.STRING,
      },
      sortKey: { name: BATON_RUN_LIST_INDEX.sortKey, type: dynamodb.AttributeType.NUMBER },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...BATON_RUN_LIST_INDEX.projected],
    });
  }

  /**
   * Lets an operator (a role, a user, a CI job) read runs the way `baton
   * runs list`, `show` and `watch` do, and nothing more: `dynamodb:Query`
   * on the table (one run's items) and on the `runs-by-status` index only,
   * and `dynamodb:BatchGetItem` on the table (the listed runs' fields), plus
   * decryption with the table's key when it has one. Functions do not need
   * it.
   *
   * @example
   * ```ts
   * table.grantReadRuns(operatorRole);
   * ```
   */
  public grantReadRuns(grantee: iam.IGrantable): iam.Grant {
    this.encryptionKey?.grantDecrypt(grantee);
    const query = iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: [
        this.table.tableArn,
        `${this.table.tableArn}/index/${BATON_RUN_LIST_INDEX.name}`,
      ],
    });
    const batchGet = iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:BatchGetItem'],
      resourceArns: [this.table.tableArn],
    });
    return query.combine(batchGet);
  }

  /** The table's name (`BATON_TABLE_NAME` of the functions). */
  public get tableName(): string {
    return this.table.tableName;
  }

  /** The table's ARN. */
  public get tableArn(): string {
    return this.table.tableArn;
  }
}
