import { App } from 'aws-cdk-lib';
import { DeployJobStack } from './deploy-stack.js';

new DeployJobStack(new App(), 'DeployJob');
