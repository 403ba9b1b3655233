import {
  bankingResources,
  employmentResources,
  fiscalResources,
  type InstitutionType,
} from '../contract/institutions.ts';

export interface SimInstitution {
  name: string;
  displayName: string;
  type: InstitutionType;
  country: 'MX' | 'CO' | 'BR';
  /** What `fetch_resources` this institution supports; refresh with anything else gets a 400. */
  resources: readonly string[];
  /** IMSS-style institutions log in with a CURP alone (belvo-api.md §2.2: no password). */
  passwordRequired: boolean;
}

const coreBanking = bankingResources.filter((r) => r !== 'BILLS');
const imss = employmentResources.filter((r) => r !== 'EMPLOYMENTS');
const inss = ['OWNERS', 'EMPLOYMENTS'] as const;

function bank(name: string, displayName: string, country: SimInstitution['country']): SimInstitution {
  return { name, displayName, type: 'banking', country, resources: coreBanking, passwordRequired: true };
}

/** Belvo's sandbox institutions (belvo-api.md §6). */
export const simInstitutions: readonly SimInstitution[] = [
  bank('erebor_mx_retail', 'Erebor Bank', 'MX'),
  bank('erebor_co_retail', 'Erebor Bank', 'CO'),
  bank('erebor_br_retail', 'Erebor Bank', 'BR'),
  bank('gringotts_mx_retail', 'Gringotts Bank', 'MX'),
  bank('gringotts_co_retail', 'Gringotts Bank', 'CO'),
  bank('gringotts_br_retail', 'Gringotts Bank', 'BR'),
  bank('gotham_mx_business', 'Gotham Business Bank', 'MX'),
  bank('gotham_co_business', 'Gotham Business Bank', 'CO'),
  bank('gotham_br_business', 'Gotham Business Bank', 'BR'),
  bank('heimdall_mx_retail', 'Heimdall Bank (MFA testing)', 'MX'),
  bank('heimdall_co_retail', 'Heimdall Bank (MFA testing)', 'CO'),
  bank('heimdall_br_retail', 'Heimdall Bank (MFA testing)', 'BR'),
  // Open Finance Brazil is the only place BILLS exists (belvo-api.md §2.2).
  { ...bank('ofmockbank_br_retail', 'OF Mock Bank', 'BR'), resources: bankingResources },
  {
    name: 'tatooine_mx_fiscal',
    displayName: 'Tatooine Fiscal (SAT)',
    type: 'fiscal',
    country: 'MX',
    resources: fiscalResources,
    passwordRequired: true,
  },
  {
    name: 'planet_mx_employment',
    displayName: 'Planet Express (IMSS)',
    type: 'employment',
    country: 'MX',
    resources: imss,
    passwordRequired: false,
  },
  {
    name: 'planet_br_employment',
    displayName: 'Planet Express (INSS)',
    type: 'employment',
    country: 'BR',
    resources: inss,
    passwordRequired: true,
  },
];

const byName = new Map(simInstitutions.map((institution) => [institution.name, institution]));

export function findInstitution(name: string): SimInstitution | undefined {
  return byName.get(name);
}
