import QRCode from 'qrcode';
import { randomBytes } from 'node:crypto';

/**
 * MFA scenarios, chosen by the username at registration (any institution; Belvo's own example
 * is `heimdall_mx_retail` + `mfa_default`/`pass_valid`, token `111111`). The shapes follow seed 003
 * ("Handling Multifactor Authentication"); which one an institution uses is Belvo's secret, so the
 * simulator lets the username decide.
 */
export interface ChallengeSpec {
  type: string;
  instructions: string;
  expectsUserInput: boolean;
  /** How long the shown code stays usable (numeric and QR rotate every 30–60 s, seed 003). */
  challengeTtlMs: number | null;
  /** What the 428 shows; null for inputless. */
  makeValue(session: string): Promise<string | null>;
  accepts(token: string | undefined): boolean;
}

export interface Scenario {
  username: string;
  summary: string;
  /** Session lifetime in seconds, and whether `expiry` is emitted as a string ("720", MFA guide) or a number (schema). */
  expirySeconds: number;
  expiryAsString: boolean;
  steps: ChallengeSpec[];
}

export const scenarioPassword = 'pass_valid';
export const acceptedToken = '111111';
export const textAnswer = 'firulais';

const acceptsDefault = (token: string | undefined) => token?.trim() === acceptedToken;

function sixDigits(): string {
  return String(randomBytes(4).readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

const numeric: ChallengeSpec = {
  type: 'numeric',
  instructions: 'Use this code to generate the token',
  expectsUserInput: true,
  challengeTtlMs: 30_000,
  makeValue: async () => sixDigits(),
  accepts: acceptsDefault,
};

const qrImage: ChallengeSpec = {
  type: 'qr',
  instructions: 'Scan this QR code to generate the token',
  expectsUserInput: true,
  challengeTtlMs: 30_000,
  // A base64 PNG (no data: prefix), one reading of seed 003's "BASE64 string representation of the QR Code".
  makeValue: async (session) =>
    (await QRCode.toBuffer(`belvo-mfa:heimdall:${session}:${sixDigits()}`, { type: 'png', margin: 2, width: 220 })).toString(
      'base64',
    ),
  accepts: acceptsDefault,
};

const qrText: ChallengeSpec = {
  ...qrImage,
  // The other reading: base64 of the payload the app must encode as a QR code itself.
  makeValue: async (session) => Buffer.from(`belvo-mfa:heimdall:${session}:${sixDigits()}`).toString('base64'),
};

const textQuestion: ChallengeSpec = {
  type: 'text',
  instructions: 'Answer the question to proceed',
  expectsUserInput: true,
  challengeTtlMs: null,
  makeValue: async () => 'What was the name of your first pet?',
  accepts: (token) => token?.trim().toLowerCase() === textAnswer,
};

const inputless: ChallengeSpec = {
  type: 'inputless',
  instructions: 'Use your app or device to generate a token',
  expectsUserInput: true,
  challengeTtlMs: null,
  makeValue: async () => null,
  accepts: acceptsDefault,
};

const otherDevice: ChallengeSpec = {
  type: 'inputless',
  instructions: 'Approve this login in the Heimdall app on your phone, then continue',
  expectsUserInput: false,
  challengeTtlMs: null,
  makeValue: async () => null,
  // Confirmed on the other device: the PATCH carries no token (seed 003, expects_user_input).
  accepts: () => true,
};

const unknownType: ChallengeSpec = {
  type: 'push_code',
  instructions: 'Enter the code sent to your registered phone',
  expectsUserInput: true,
  challengeTtlMs: null,
  makeValue: async () => 'Sent to •••• 4821',
  accepts: acceptsDefault,
};

export const scenarios: readonly Scenario[] = [
  { username: 'mfa_default', summary: "Belvo's own sandbox example: inputless, token 111111", expirySeconds: 720, expiryAsString: true, steps: [inputless] },
  { username: 'mfa_numeric', summary: 'numeric code valid 30 s; a late token gets a new 428 with a new code', expirySeconds: 180, expiryAsString: true, steps: [numeric] },
  { username: 'mfa_qr_image', summary: 'qr: value is a base64 PNG image', expirySeconds: 180, expiryAsString: false, steps: [qrImage] },
  { username: 'mfa_qr_text', summary: 'qr: value is base64 text to render as a QR code', expirySeconds: 180, expiryAsString: false, steps: [qrText] },
  { username: 'mfa_text', summary: `text: a security question, answer "${textAnswer}"`, expirySeconds: 720, expiryAsString: true, steps: [textQuestion] },
  { username: 'mfa_inputless', summary: 'inputless: the user generates the token, 111111', expirySeconds: 720, expiryAsString: false, steps: [inputless] },
  { username: 'mfa_device', summary: 'expects_user_input false: approve on another device, then PATCH without a token', expirySeconds: 300, expiryAsString: false, steps: [otherDevice] },
  { username: 'mfa_chain', summary: 'numeric, then a second 428 asking a text question', expirySeconds: 300, expiryAsString: true, steps: [numeric, textQuestion] },
  { username: 'mfa_unknown', summary: 'an undocumented token type (push_code), token 111111', expirySeconds: 300, expiryAsString: false, steps: [unknownType] },
  { username: 'mfa_short', summary: 'inputless with a 20-second session, to reach session_expired', expirySeconds: 20, expiryAsString: false, steps: [inputless] },
];

export function findScenario(username: string): Scenario | undefined {
  return scenarios.find((scenario) => scenario.username === username);
}

/** The challenge asked when refreshing a `token_required` link, or by an injected 428 fault. */
export const reauthenticationScenario: Scenario = {
  username: '(token_required link)',
  summary: 'numeric challenge for a link whose token expired',
  expirySeconds: 600,
  expiryAsString: false,
  steps: [numeric],
};

export interface MfaSession {
  session: string;
  linkId: string;
  scenario: Scenario;
  step: number;
  expiresAt: number;
  challengeValue: string | null;
  challengeIssuedAt: number;
  purpose: { kind: 'register' } | { kind: 'update' } | { kind: 'refresh'; requestId: string; resources: string[] } | { kind: 'fault' };
}

export function newSessionId(): string {
  return randomBytes(16).toString('hex');
}

export function tokenRequiredBody(session: MfaSession, requestId: string, message: string) {
  const spec = session.scenario.steps[session.step];
  if (!spec) throw new Error('MFA session has no challenge at this step');
  const remaining = Math.max(1, Math.ceil((session.expiresAt - session.challengeIssuedAt) / 1000));
  return [
    {
      code: 'token_required',
      message,
      request_id: requestId,
      session: session.session,
      expiry: session.scenario.expiryAsString ? String(remaining) : remaining,
      link: session.linkId,
      token_generation_data: {
        instructions: spec.instructions,
        type: spec.type,
        value: session.challengeValue,
        expects_user_input: spec.expectsUserInput,
      },
    },
  ];
}
