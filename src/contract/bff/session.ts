import * as z from 'zod/mini';
import { roles } from '../roles.ts';

// `/bff/session`: sign in, who is signed in, sign out.

export const signInBodySchema = z.strictObject({
  username: z.string().check(z.minLength(1, 'Enter your username.'), z.maxLength(128)),
  password: z.string().check(z.minLength(1, 'Enter your password.'), z.maxLength(512)),
});
export type SignInBody = z.infer<typeof signInBodySchema>;

/** The signed-in person and what their role may do here (the server decides; the SPA mirrors). */
export const sessionSchema = z.object({
  user: z.object({ username: z.string(), role: z.enum(roles) }),
  permissions: z.array(z.string()),
});
export type Session = z.infer<typeof sessionSchema>;
