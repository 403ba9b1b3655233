import type { Messages } from './en.ts';

export const messages: Messages = {
  env: {
    simulator: 'Simulador — no es Belvo',
    simulatorHint: 'Datos ficticios del simulador integrado. Nada de esto llega a Belvo.',
    sandbox: 'Sandbox de Belvo',
    sandboxHint: 'Conectado al sandbox de Belvo ({host}).',
    production: 'Producción de Belvo',
    productionHint: 'Conectado a producción de Belvo ({host}). Las acciones aquí cambian links de usuarios reales.',
  },
};
