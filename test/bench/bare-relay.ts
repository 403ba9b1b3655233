import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent, request } from 'undici';

/**
 * The floor for any proxy on this machine: a bare relay (node:http + undici, no validation, no
 * logging, no headers) forwarding to BELVO_BASE_URL. The bench compares Linkdesk with it.
 */
const upstream = process.env.BELVO_BASE_URL ?? '';
const authorization = `Basic ${Buffer.from(`${process.env.BELVO_SECRET_ID}:${process.env.BELVO_SECRET_PASSWORD}`).toString('base64')}`;
const agent = new Agent({ keepAliveTimeout: 30_000 });
const relay = async (req: IncomingMessage, res: ServerResponse) => {
  const response = await request(`${upstream}${req.url}`, { headers: { authorization }, dispatcher: agent });
  const body = await response.body.text();
  res.writeHead(response.statusCode, { 'content-type': 'application/json' });
  res.end(body);
};
const server = createServer((req, res) => {
  relay(req, res).catch(() => res.destroy());
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') console.log(`Bare relay listening on http://127.0.0.1:${address.port}`);
});
