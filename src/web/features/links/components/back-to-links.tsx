import { Link as RouterLink } from '@tanstack/react-router';
import { useT } from '../../../lib/i18n.ts';
import { recallListSearch } from '../list-search.ts';

export function BackToLinks() {
  const { t } = useT();
  const search = recallListSearch();
  return (
    <RouterLink to="/links" search={search ?? { page: 1, page_size: 100 }} className="text-sm text-brand-700 hover:underline">
      <span aria-hidden="true">← </span>
      {t('detail.back')}
    </RouterLink>
  );
}

