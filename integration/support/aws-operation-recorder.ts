/**
 * Records every AWS request an SDK client sends, as the IAM permissions it
 * needs, to a JSON-lines file (appended synchronously, so worker containers
 * and the test process can share it). The middleware reads the serialized
 * request (`X-Amz-Target` and body), after the SDK built it: what is recorded
 * is what went on the wire, retries included.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** One permission a request needs: an IAM action on a resource. */
export interface RequiredPermission {
  /** `dynamodb:UpdateItem`, `codepipeline:PutJobSuccessResult`, … */
  action: string;
  /** The table name for DynamoDB; `*` for actions without resource-level permissions. */
  resource: string;
}

interface SerializedRequest {
  headers: Record<string, string>;
  body?: unknown;
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { request: unknown }) => Promise<unknown>,
      ) => (args: { request: unknown }) => Promise<unknown>,
      options: { step: 'build'; name: string; priority: 'low' },
    ): void;
  };
}

const SERVICE_PREFIX: Record<string, string> = {
  DynamoDB_20120810: 'dynamodb',
  CodePipeline_20150709: 'codepipeline',
};

// IAM authorizes a transaction through the actions of its items.
const TRANSACT_ITEM_ACTION: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

/**
 * Adds the recording middleware to `client` and returns it.
 *
 * @example
 * ```ts
 * const dynamoDBClient = recordAwsOperations(new DynamoDBClient({}), '/tmp/ops.jsonl');
 * ```
 */
export function recordAwsOperations<C>(client: C, file: string): C {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next) => async (args) => {
      for (const permission of permissionsOf(args.request as SerializedRequest)) {
        appendFileSync(file, `${JSON.stringify(permission)}\n`);
      }
      return next(args);
    },
    { step: 'build', name: 'batonAwsOperationRecorder', priority: 'low' },
  );
  return client;
}

/** The permissions recorded in `file` so far, without repeats. */
export function recordedPermissions(file: string): RequiredPermission[] {
  if (!existsSync(file)) return [];
  const seen = new Map<string, RequiredPermission>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    const permission = JSON.parse(line) as RequiredPermission;
    seen.set(`${permission.action} ${permission.resource}`, permission);
  }
  return [...seen.values()];
}

function permissionsOf(request: SerializedRequest): RequiredPermission[] {
  const target = Object.entries(request.headers).find(
    ([name]) => name.toLowerCase() === 'x-amz-target',
  )?.[1];
  if (target === undefined) throw new Error('an AWS request without X-Amz-Target');
  const [service = '', operation = ''] = target.split('.');
  const prefix = SERVICE_PREFIX[service];
  if (prefix === undefined) throw new Error(`a request to an unknown service: ${target}`);
  if (prefix !== 'dynamodb') return [{ action: `${prefix}:${operation}`, resource: '*' }];
  const body = JSON.parse(bodyText(request.body)) as {
    TableName?: string;
    TransactItems?: Array<Record<string, { TableName: string }>>;
  };
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    return (body.TransactItems ?? []).flatMap((item) =>
      Object.entries(item).map(([kind, detail]) => ({
        action: `dynamodb:${TRANSACT_ITEM_ACTION[kind] ?? kind}`,
        resource: detail.TableName,
      })),
    );
  }
  if (body.TableName === undefined) throw new Error(`dynamodb:${operation} without a TableName`);
  return [{ action: `dynamodb:${operation}`, resource: body.TableName }];
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new Error(`an AWS request body the recorder cannot read (${typeof body})`);
}
