/**
 * A closed-loop load generator: `connections` keep-alive connections, each sending its next
 * request as soon as the previous answer ended, so the server runs at the highest rate it
 * sustains. Headers carry an incoming trace, as a request from an instrumented caller would.
 */
import http from 'node:http';

export function createLoad(port, connections = 16) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const headers = {
    'sentry-trace': '771a43a4192642f0b136d5159a501700-b7ad6b7169203331',
    baggage: 'sentry-trace_id=771a43a4192642f0b136d5159a501700,sentry-sample_rand=0.25',
    'content-type': 'application/json',
  };
  const one = () =>
    new Promise((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port, path: '/items/42?page=2', method: 'POST', agent, headers }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      });
      request.on('error', reject);
      request.end('{"id":42}');
    });
  return {
    /** Sends `total` requests; resolves with the failures (non-200 answers). */
    async run(total) {
      let next = 0;
      let failures = 0;
      const worker = async () => {
        while (next < total) {
          next++;
          if ((await one()) !== 200) failures++;
        }
      };
      await Promise.all(Array.from({ length: connections }, worker));
      return failures;
    },
    close: () => agent.destroy(),
  };
}
