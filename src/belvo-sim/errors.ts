import { randomBytes } from 'node:crypto';

/** Belvo request ids: 32 lowercase hex characters (belvo-api.md §3.1). */
export function newRequestId(): string {
  return randomBytes(16).toString('hex');
}

export interface SimErrorItem {
  code: string;
  message: string;
  field?: string;
}

/** Every non-2xx body is an array; the items of one answer share its request_id. */
export function errorBody(items: SimErrorItem[], requestId = newRequestId()) {
  return items.map((item) => ({
    ...(item.field === undefined ? {} : { field: item.field }),
    code: item.code,
    message: item.message,
    request_id: requestId,
  }));
}

export const messages = {
  authentication_failed: 'Invalid Secret Keys',
  not_found: 'Not found',
  access_to_resource_denied: "You don't have access to this resource.",
  request_timeout: 'The request timed out, you can retry asking for less data by changing your query parameters',
  unexpected_error:
    'Belvo is unable to process the request due to an internal system issue or to an unsupported response from an institution',
  token_required: 'A MFA token is required by the institution to login',
  session_expired:
    'The session you are trying to resume has expired, please start again from register/retrieve endpoint',
  invalid_link: 'The link has been invalidated. You may need to update link credentials',
  unconfirmed_link: 'The link creation has not been completed yet',
  login_error: 'Invalid credentials provided to login to the institution',
  required: 'This field is required.',
  blank: 'This field may not be blank.',
  null: 'This field may not be null.',
} as const;
