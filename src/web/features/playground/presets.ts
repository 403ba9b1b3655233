import type { messages } from './messages/en.ts';

/** Each preset's label is `playground.preset.<id>`: an id without a label is a compile error. */
export type PresetId = keyof typeof messages.playground.preset;

/**
 * Registration presets for QA: the simulator's scenario credentials (src/belvo-sim/README.md) and
 * Belvo's own sandbox example. Against the real sandbox only Belvo's documented ones behave so.
 */
export interface Preset {
  id: PresetId;
  institution: string;
  username: string;
  password: string;
  /** Works against Belvo's real sandbox too. */
  belvoSandbox: boolean;
}

export const presets: readonly Preset[] = [
  { id: 'none', institution: 'erebor_mx_retail', username: 'user_valid', password: 'pass_valid', belvoSandbox: true },
  { id: 'default', institution: 'heimdall_mx_retail', username: 'mfa_default', password: 'pass_valid', belvoSandbox: true },
  { id: 'numeric', institution: 'heimdall_mx_retail', username: 'mfa_numeric', password: 'pass_valid', belvoSandbox: false },
  { id: 'qrImage', institution: 'heimdall_mx_retail', username: 'mfa_qr_image', password: 'pass_valid', belvoSandbox: false },
  { id: 'qrText', institution: 'heimdall_mx_retail', username: 'mfa_qr_text', password: 'pass_valid', belvoSandbox: false },
  { id: 'text', institution: 'heimdall_mx_retail', username: 'mfa_text', password: 'pass_valid', belvoSandbox: false },
  { id: 'inputless', institution: 'heimdall_mx_retail', username: 'mfa_inputless', password: 'pass_valid', belvoSandbox: false },
  { id: 'device', institution: 'heimdall_mx_retail', username: 'mfa_device', password: 'pass_valid', belvoSandbox: false },
  { id: 'chain', institution: 'heimdall_mx_retail', username: 'mfa_chain', password: 'pass_valid', belvoSandbox: false },
  { id: 'unknown', institution: 'heimdall_mx_retail', username: 'mfa_unknown', password: 'pass_valid', belvoSandbox: false },
  { id: 'short', institution: 'heimdall_mx_retail', username: 'mfa_short', password: 'pass_valid', belvoSandbox: false },
  { id: 'badLogin', institution: 'erebor_mx_retail', username: 'user_invalid', password: 'pass_invalid', belvoSandbox: false },
] as const;
