import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { createQueryClient } from './app/query-client.ts';
import { createAppRouter } from './app/router.tsx';
import { createI18n, detectLanguage } from './lib/i18n.ts';
import { reloadOnStaleBuild } from './lib/reload-on-stale-build.ts';
import './styles.css';

reloadOnStaleBuild();
const queryClient = createQueryClient();
const router = createAppRouter({ queryClient });
const i18n = await createI18n(detectLanguage());
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App router={router} queryClient={queryClient} i18n={i18n} />
  </StrictMode>,
);
