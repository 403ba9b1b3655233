import type { Messages } from './en.ts';

export const messages: Messages = {
  index: {
    label: 'Atualização do índice',
    lastFullSync: 'Última sincronização completa:',
    lastChange: 'Última alteração:',
    never: 'nunca',
    indexedCount: '{count, plural, one {# link indexado} other {# links indexados}}',
    syncNow: 'Sincronizar agora',
    syncing: 'Sincronizando…',
    syncNotStarted: 'A sincronização não começou',
    statusFailed: 'Não foi possível ler o estado do índice',
    syncFailed: 'A última sincronização parou com um erro. O índice continua respondendo com o que tem e tenta de novo no horário previsto.',
    syncFailedAt: 'Parou',
    nextSync: 'próxima tentativa',
    progress: {
      phase: {
        scan: 'Sincronizando todos os links da Belvo',
        newer: 'Sincronizando os links criados desde o início da sincronização',
        incremental: 'Procurando links novos',
      },
      indexedOf: '{indexed} de {total} links',
      indexedOnly: '{indexed} links',
      rate: '{rate} links/s',
      etaSeconds: 'faltam cerca de {n, plural, one {# segundo} other {# segundos}}',
      etaMinutes: 'faltam cerca de {n, plural, one {# minuto} other {# minutos}}',
    },
  
    pending: {
      empty: 'O índice da conta ainda não tem uma sincronização completa.',
      syncing: 'O índice da conta está fazendo a primeira sincronização completa.',
      error: 'A primeira sincronização do índice da conta parou com um erro.',
      unknown: 'Não é possível ler o índice da conta agora.',
      live: 'Até ele ficar pronto, esta lista lê a Belvo página por página: a ordenação, a busca e os filtros de modo de acesso, taxa de atualização, datas, órfãos e duplicados chegam com o índice.',
      notApplied: 'Ainda não aplicados: {filters}',
    },
  },
};
