import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { EventSource as FetchEventSource } from 'eventsource';
import { mswServer } from './msw-server.ts';

// jsdom has no layout: give the virtualised table a ResizeObserver that never reports, so it
// keeps its initial viewport and renders a screenful of rows.
class InertResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
// The router restores scroll positions; jsdom has no scrolling.
window.scrollTo = () => {};
globalThis.ResizeObserver ??= InertResizeObserver as unknown as typeof ResizeObserver;
// …and a viewport-sized client box (jsdom reports 0), which is what the virtualiser reads.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 720 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1200 });

// jsdom has no EventSource; this one runs on fetch, so msw forwards the stream to the real server.
class RelativeEventSource extends FetchEventSource {
  constructor(url: string | URL, init?: EventSourceInit) {
    super(new URL(url, window.location.href), init);
  }
}
globalThis.EventSource = RelativeEventSource as unknown as typeof EventSource;

// Each screen here runs the real proxy and simulator in the same process; on a loaded two-core CI
// machine a first render can take longer than Testing Library's 1 s default to appear.
configure({ asyncUtilTimeout: 5_000 });

beforeAll(() => mswServer.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  mswServer.resetHandlers();
  localStorage.clear();
});
afterAll(() => mswServer.close());
