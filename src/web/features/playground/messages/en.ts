import type { Widen } from '../../../lib/catalog.ts';

/** The MFA playground, in English: pt-br.ts and es-419.ts must have exactly these keys. */
export const messages = {
  playground: {
    title: 'MFA playground',
    introSimulator: 'Register links against the built-in simulator to exercise every MFA variant on purpose. Pick a preset, register, and follow the trace.',
    introSandbox: 'Register links in Belvo’s sandbox. Presets marked “simulator only” need the built-in simulator.',
    presets: 'Presets',
    simulatorOnly: 'simulator only',
    preset: {
      none: 'No MFA',
      default: 'Belvo’s example (token 111111)',
      numeric: 'Numeric code (30 s)',
      qrImage: 'QR as an image',
      qrText: 'QR as text to draw',
      text: 'Security question',
      inputless: 'Inputless',
      device: 'Confirm on another device',
      chain: 'Two challenges in a row',
      unknown: 'Unknown token type',
      short: '20-second session',
      badLogin: 'Wrong credentials',
    },
    register: 'Register a link',
    institution: 'Institution',
    username: 'Username',
    password: 'Password',
    accessMode: 'Access mode',
    externalId: 'External ID (optional)',
    registerButton: 'Register',
    registering: 'Registering…',
    created: 'Link created ({status}).',
    openLink: 'Open the link',
    abandoned: 'The MFA flow was abandoned; the link stays unconfirmed.',
    failed: 'Registration failed',
    trace: 'Exchange',
    traceEmpty: 'Register a link to see each request and answer here.',
    traceRegister: 'Register',
    took: '{ms} ms',
    notInProduction: 'The playground is not available against Belvo production.',
  },
};
export type Messages = Widen<typeof messages>;
