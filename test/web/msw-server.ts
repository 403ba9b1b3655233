import { setupServer } from 'msw/node';

/** Handlers are installed per test by renderApp: they forward to that test's proxy + simulator. */
export const mswServer = setupServer();
