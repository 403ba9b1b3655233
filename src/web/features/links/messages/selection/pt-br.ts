import type { Messages } from './en.ts';

export const messages: Messages = {
  selection: {
    label: 'Links selecionados',
    count: '{count, plural, one {# link selecionado} other {# links selecionados}}',
    allMatching: 'Os {count} links que correspondem a estes filtros estão selecionados',
    selectAllMatching: 'Selecionar todos os {count} correspondentes',
    delete: 'Excluir…',
    refresh: 'Atualizar…',
    clear: 'Limpar seleção',
  },
};
