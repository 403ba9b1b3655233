/** Catalogues compiled at build time by the plugin in vite.config.ts. */
declare module 'virtual:linkdesk-messages/*' {
  import type { Messages } from '@lingui/core';
  const messages: Messages;
  export default messages;
}
