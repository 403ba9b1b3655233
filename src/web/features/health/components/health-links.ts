/** The links list a Health number leads to starts on its first page of 100. */
export const listSearch = { page: 1, page_size: 100 } as const;
export const linkClass = 'text-brand-700 underline underline-offset-2 hover:text-brand-900';
