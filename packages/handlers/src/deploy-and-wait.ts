// Top-level so tsc emits dist/deploy-and-wait.js, the documented entry path.
export { handler } from './lambda/deploy-and-wait.js';
