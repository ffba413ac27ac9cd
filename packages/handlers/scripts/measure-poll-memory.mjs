// Peak memory of one poll against a 100 MB response body, each measured in a
// fresh child process. Peak RSS is the kernel's high-water mark of the child's
// own memory (VmHWM in /proc/self/status, so Linux only): getrusage's maxrss
// would carry over the peak of this process, which forked it.
// Usage, after `pnpm build`: node packages/handlers/scripts/measure-poll-memory.mjs [MB]
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const megabytes = Number(process.argv[2] ?? 100);
const size = megabytes * 1024 * 1024;
// The package as built (`pnpm build`), the way an application imports it.
const handlers = pathToFileURL(
  join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js'),
);
const chunk = Buffer.alloc(64 * 1024, ' ');
const bomb = gzipSync(Buffer.alloc(size, ' '));

const server = createServer((req, res) => {
  if (req.url === '/small') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"UP"}');
    return;
  }
  if (req.url === '/gzip') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(bomb);
    return;
  }
  const headers = { 'content-type': 'application/json' };
  if (req.url === '/length') headers['content-length'] = String(size);
  res.writeHead(200, headers);
  let sent = 0;
  const pump = () => {
    while (sent < size) {
      if (res.destroyed) return;
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

// The child: RSS after imports, then one request, then the peak RSS.
const CHILD = `
const mode = process.env.MODE;
const { pollOnce } = await import(process.env.HANDLERS);
const before = process.memoryUsage().rss;
let seen;
if (mode === 'none') {
  seen = 'no request';
} else if (mode === 'fetch-text') {
  const response = await fetch(process.env.URL);
  seen = 'read ' + (await response.text()).length + ' characters';
} else {
  const result = await pollOnce({ request: { url: process.env.URL }, requestTimeoutSeconds: 60 });
  seen = result.seen;
}
const { readFileSync } = await import('node:fs');
const hwm = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const peak = Number(hwm[1]) * 1024;
console.log(JSON.stringify({ baselineMiB: before / 2 ** 20, peakMiB: peak / 2 ** 20, seen }));
`;

const cases = [
  ['none', '', 'imports only, no request'],
  ['pollOnce', '/small', 'small JSON body'],
  ['pollOnce', '/chunked', `${megabytes} MB chunked body`],
  ['pollOnce', '/length', `${megabytes} MB body with Content-Length`],
  ['pollOnce', '/gzip', `${(bomb.length / 1024).toFixed(0)} KiB gzip expanding to ${megabytes} MB`],
  ['fetch-text', '/chunked', `${megabytes} MB chunked body, fetch + response.text() (no cap)`],
  ['fetch-text', '/gzip', `gzip expanding to ${megabytes} MB, fetch + response.text() (no cap)`],
];
console.log('| reader | response | peak RSS | RSS after imports | seen |');
console.log('| --- | --- | --- | --- | --- |');
for (const [mode, path, label] of cases) {
  // Asynchronous, so that this process's server keeps answering meanwhile.
  const out = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CHILD], {
    env: {
      PATH: process.env.PATH,
      MODE: mode,
      URL: `${base}${path}`,
      HANDLERS: handlers.href,
      BATON_HTTP_ALLOW_LOOPBACK: '1',
    },
    encoding: 'utf8',
  }).then(
    ({ stdout }) => stdout,
    (err) =>
      JSON.stringify({
        error: String(err.stderr || err.message)
          .trim()
          .split('\n')
          .at(-1),
      }),
  );
  const r = JSON.parse(out.trim().split('\n').at(-1));
  console.log(
    r.error
      ? `| ${mode} | ${label} | failed: ${r.error} | | |`
      : `| ${mode} | ${label} | ${r.peakMiB.toFixed(0)} MiB | ${r.baselineMiB.toFixed(0)} MiB | ${r.seen} |`,
  );
}
server.close();
server.closeAllConnections();
