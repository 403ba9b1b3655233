import type { LinksSearch } from '../../shared/links/queries.ts';

let lastListSearch: LinksSearch | undefined;
/** The list view the user last saw, so "Back to links" returns to the same filters and page. */
export function rememberListSearch(search: LinksSearch) {
  lastListSearch = search;
}
export function recallListSearch(): LinksSearch | undefined {
  return lastListSearch;
}
