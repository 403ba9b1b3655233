import type { Widen } from '../../../lib/catalog.ts';

/** The environment banner’s strings, in English: pt-br.ts and es-419.ts must have exactly these keys. */
export const messages = {
  env: {
    simulator: 'Simulator — not Belvo',
    simulatorHint: 'Fake data from the built-in simulator. Nothing here reaches Belvo.',
    sandbox: 'Belvo sandbox',
    sandboxHint: 'Connected to Belvo’s sandbox ({host}).',
    production: 'Belvo production',
    productionHint: 'Connected to Belvo production ({host}). Actions here change real users’ links.',
  },
};
export type Messages = Widen<typeof messages>;
