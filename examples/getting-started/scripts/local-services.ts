// What `baton local` and `baton runs` need on this machine, until Ctrl-C: the
// deployment API the job calls, and a DynamoDB Local whose runs outlive a play.
import { startDeploymentService, startDynamoDBLocal } from '@baton/testing';

const api = await startDeploymentService({ port: 4010, stepsToSucceed: 3 });
// AWS_ENDPOINT_URL_DYNAMODB when set, else a container, else the bundled jar (Java 17+).
const dynamodb = await startDynamoDBLocal({ port: 8000, tableName: 'baton-local' });

console.log(`deployment API: ${api.url}
DynamoDB Local (${dynamodb.source}): ${dynamodb.endpoint}, table baton-local

In another terminal, from the repository root:
export AWS_ENDPOINT_URL_DYNAMODB=${dynamodb.endpoint} AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local`);

process.once('SIGINT', () => {
  void Promise.all([api.stop(), dynamodb.stop()]).then(() => process.exit(0));
});
