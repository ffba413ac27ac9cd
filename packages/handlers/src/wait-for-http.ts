// Top-level so tsc emits dist/wait-for-http.js, the documented entry path.
export { handler } from './lambda/wait-for-http.js';
