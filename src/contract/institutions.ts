import * as z from 'zod/mini';

/**
 * `fetch_resources` values per institution type (belvo-api.md §2.2, from Belvo's `LinksIdBody1`).
 * The exact set an institution supports is Belvo's to say: a refresh naming an unsupported one
 * answers 400 listing the supported ones.
 */
export const bankingResources = [
  'ACCOUNTS',
  'OWNERS',
  'TRANSACTIONS',
  'BILLS',
  'INCOMES',
  'RECURRING_EXPENSES',
  'RISK_INSIGHTS',
] as const;
export const fiscalResources = [
  'FINANCIAL_STATEMENTS',
  'INVOICES',
  'TAX_COMPLIANCE_STATUS',
  'TAX_RETENTIONS',
  'TAX_RETURNS',
  'TAX_STATUS',
] as const;
export const employmentResources = ['OWNERS', 'EMPLOYMENT_RECORDS', 'EMPLOYMENT_METRICS', 'EMPLOYMENTS'] as const;

export const fetchResources = [
  ...new Set([...bankingResources, ...fiscalResources, ...employmentResources]),
] as [string, ...string[]];
export const fetchResourceSchema = z.enum(fetchResources);
export type FetchResource = z.infer<typeof fetchResourceSchema>;

export type InstitutionType = 'banking' | 'fiscal' | 'employment';

/** Institution codes end in their kind: `_fiscal`, `_employment`, otherwise a bank (`_retail`, `_business`). */
export function institutionTypeOf(institution: string): InstitutionType {
  if (institution.endsWith('_fiscal')) return 'fiscal';
  if (institution.endsWith('_employment') || institution.endsWith('_gig')) return 'employment';
  return 'banking';
}

export function resourcesForInstitutionType(type: InstitutionType): readonly string[] {
  if (type === 'fiscal') return fiscalResources;
  if (type === 'employment') return employmentResources;
  return bankingResources;
}

/** Belvo's sandbox institutions (belvo-api.md §6), offered as suggestions in filters. */
export const sandboxInstitutions = [
  'erebor_mx_retail',
  'erebor_co_retail',
  'erebor_br_retail',
  'gringotts_mx_retail',
  'gringotts_co_retail',
  'gringotts_br_retail',
  'gotham_mx_business',
  'gotham_co_business',
  'gotham_br_business',
  'heimdall_mx_retail',
  'heimdall_co_retail',
  'heimdall_br_retail',
  'ofmockbank_br_retail',
  'tatooine_mx_fiscal',
  'planet_mx_employment',
  'planet_br_employment',
] as const;
