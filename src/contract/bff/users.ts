import * as z from 'zod/mini';
import { roles } from '../roles.ts';

// `/bff/users`: admin-only staff accounts; the same operations as `npm run user`.

const roleSchema = z.enum(roles, { error: `role is one of ${roles.join(', ')}` });

/** `sso`: signs in through the identity provider, which sets the role at each sign-in; no password here. */
export const staffUserSchema = z.object({ id: z.number(), username: z.string(), role: z.enum(roles), created_at: z.number(), updated_at: z.number(), sso: z.optional(z.boolean()) });
export type StaffUser = z.infer<typeof staffUserSchema>;

export const staffUserListSchema = z.object({ users: z.array(staffUserSchema) });
/** The answer to adding or changing a user. */
export const staffUserAnswerSchema = z.object({ user: staffUserSchema });

export const addUserBodySchema = z.strictObject({ username: z.string(), password: z.string(), role: roleSchema });
export const changeUserBodySchema = z.strictObject({ role: z.optional(roleSchema), password: z.optional(z.string()) });
