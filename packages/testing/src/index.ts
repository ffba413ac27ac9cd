export {
  type DynamoDBLocal,
  DynamoDBLocalSource,
  LOCAL_AWS_SETTINGS,
  type StartDynamoDBLocalOptions,
  startDynamoDBLocal,
} from './dynamodb/start-dynamodb-local.js';
