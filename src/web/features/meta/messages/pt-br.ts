import type { Messages } from './en.ts';

export const messages: Messages = {
  env: {
    simulator: 'Simulador — não é a Belvo',
    simulatorHint: 'Dados fictícios do simulador embutido. Nada aqui chega à Belvo.',
    sandbox: 'Sandbox da Belvo',
    sandboxHint: 'Conectado ao sandbox da Belvo ({host}).',
    production: 'Produção da Belvo',
    productionHint: 'Conectado à produção da Belvo ({host}). As ações aqui alteram links de usuários reais.',
  },
};
