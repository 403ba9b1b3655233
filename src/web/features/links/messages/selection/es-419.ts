import type { Messages } from './en.ts';

export const messages: Messages = {
  selection: {
    label: 'Links seleccionados',
    count: '{count, plural, one {# link seleccionado} other {# links seleccionados}}',
    allMatching: 'Están seleccionados los {count} links que coinciden con estos filtros',
    selectAllMatching: 'Seleccionar los {count} que coinciden',
    delete: 'Eliminar…',
    refresh: 'Actualizar…',
    clear: 'Quitar selección',
  },
};
