import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** What each operation module of the DynamoDB store needs: the document client and the table. */
export interface StoreContext {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
}
