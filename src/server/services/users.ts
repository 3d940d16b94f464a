// Adding people. The CLI (`npm run user:add`), the first-start demo user and the tests all go
// through addUser, so the rules below are the rules everywhere.
import type { Storage } from "../storage/storage";
import { EmailTakenError } from "../storage/user-store";
import { hashPassword } from "./passwords";

export const MIN_PASSWORD_LENGTH = 8;
export const DEMO_ORGANIZATION = "demo";
export const DEMO_EMAIL = "demo@sidecar.local";

/** A problem with the input a person gave (not a server fault). */
export class UserInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserInputError";
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface AddedUser {
  userId: string;
  email: string;
  organization: { id: string; name: string };
  organizationCreated: boolean;
}

/**
 * Adds a user to an organization (created if new). Throws UserInputError for a missing
 * organization name, a malformed e-mail, a short password, or an e-mail already in use.
 */
export async function addUser(
  storage: Storage,
  input: { organizationName: string; email: string; password: string },
): Promise<AddedUser> {
  const organizationName = input.organizationName.trim();
  const email = normalizeEmail(input.email);
  if (!organizationName) throw new UserInputError("The organization name is empty.");
  if (organizationName.length > 100) throw new UserInputError("The organization name is longer than 100 characters.");
  if (email.length > 254 || !EMAIL_PATTERN.test(email)) {
    throw new UserInputError(`"${input.email}" is not an e-mail address (expected something like name@example.com).`);
  }
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new UserInputError(`The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (await storage.users.findByEmail(email)) throw new UserInputError(`A user with the e-mail ${email} already exists.`);
  const passwordHash = await hashPassword(input.password);
  try {
    const { user, organization, organizationCreated } = await storage.users.add({ organizationName, email, passwordHash });
    return {
      userId: user.id,
      email: user.email,
      organization: { id: organization.id, name: organization.name },
      organizationCreated,
    };
  } catch (error) {
    // Someone added the same e-mail while the password was being hashed.
    if (error instanceof EmailTakenError) {
      throw new UserInputError(`A user with the e-mail ${email} already exists.`);
    }
    throw error;
  }
}

/**
 * On a server's first start (no users at all) creates organization "demo" with
 * demo@sidecar.local, so there is something to sign in with. Returns the sign-in (and the user's
 * id, which is also its Artos user id) when created.
 */
export async function ensureDemoUser(
  storage: Storage,
  password: string,
): Promise<{ email: string; password: string; userId: string } | null> {
  if ((await storage.users.count()) > 0) return null;
  try {
    const added = await addUser(storage, { organizationName: DEMO_ORGANIZATION, email: DEMO_EMAIL, password });
    return { email: DEMO_EMAIL, password, userId: added.userId };
  } catch (error) {
    // Another server process sharing the database made it meanwhile.
    if (error instanceof UserInputError && (await storage.users.findByEmail(DEMO_EMAIL))) return null;
    throw error;
  }
}
