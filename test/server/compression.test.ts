import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
afterEach(() => stack?.close());

describe('compressed answers', () => {
  it('gzips a page of links for a client that accepts it, and the JSON is the same', async () => {
    stack = await createTestStack();
    const plain = await stack.request('/api/links/?page_size=100');
    const plainText = await plain.text();
    expect(plain.headers.get('content-encoding')).toBeNull();
    const zipped = await stack.request('/api/links/?page_size=100', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.status).toBe(200);
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toMatch(/accept-encoding/i);
    const body = Buffer.from(await zipped.arrayBuffer());
    expect(body.length).toBeLessThan(plainText.length / 3);
    expect(JSON.parse(gunzipSync(body).toString('utf8'))).toEqual(JSON.parse(plainText));
  });

  it('never compresses the live event stream', async () => {
    stack = await createTestStack();
    const controller = new AbortController();
    const response = await stack.request('/bff/events', { headers: { 'accept-encoding': 'gzip' }, signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(response.headers.get('content-encoding')).toBeNull();
    controller.abort();
  });
});
