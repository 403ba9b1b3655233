import type { Messages } from './en.ts';

export const messages: Messages = {
  index: {
    label: 'Actualidad del índice',
    lastFullSync: 'Última sincronización completa:',
    lastChange: 'Último cambio:',
    never: 'nunca',
    indexedCount: '{count, plural, one {# link indexado} other {# links indexados}}',
    syncNow: 'Sincronizar ahora',
    syncing: 'Sincronizando…',
    syncNotStarted: 'La sincronización no empezó',
    statusFailed: 'No se pudo leer el estado del índice',
    syncFailed: 'La última sincronización se detuvo por un error. El índice sigue respondiendo con lo que tiene y vuelve a intentarlo según su programación.',
    syncFailedAt: 'Se detuvo',
    nextSync: 'próximo intento',
    progress: {
      phase: {
        scan: 'Sincronizando todos los links de Belvo',
        newer: 'Sincronizando los links creados desde que empezó la sincronización',
        incremental: 'Buscando links nuevos',
      },
      indexedOf: '{indexed} de {total} links',
      indexedOnly: '{indexed} links',
      rate: '{rate} links/s',
      etaSeconds: 'faltan unos {n, plural, one {# segundo} other {# segundos}}',
      etaMinutes: 'faltan unos {n, plural, one {# minuto} other {# minutos}}',
    },
  
    pending: {
      empty: 'El índice de la cuenta todavía no tiene una sincronización completa.',
      syncing: 'El índice de la cuenta está haciendo su primera sincronización completa.',
      error: 'La primera sincronización del índice de la cuenta se detuvo por un error.',
      unknown: 'No se puede leer el índice de la cuenta ahora.',
      live: 'Hasta que esté listo, esta lista lee Belvo página por página: el orden, la búsqueda y los filtros de modo de acceso, frecuencia de actualización, fechas, huérfanos y duplicados llegan con el índice.',
      notApplied: 'Todavía sin aplicar: {filters}',
    },
  },
};
