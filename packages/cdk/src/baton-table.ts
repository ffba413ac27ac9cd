import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Name of the TTL attribute Baton writes (epoch seconds). */
export const BATON_TTL_ATTRIBUTE = 'expiresAt';

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
 * `expiresAt`, on-demand billing, point-in-time recovery, retained when
 * removed from the stack. One table serves any number of Baton functions.
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
