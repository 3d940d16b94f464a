// Organizations and the users in them. Passwords arrive already hashed (services/passwords.ts);
// e-mails and organization names are compared without case.
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { nowIso } from "./util";

export interface OrganizationRow {
  id: string;
  name: string;
  created_at: string;
}

export interface UserRow {
  id: string;
  organization_id: string;
  email: string;
  password_hash: string;
  created_at: string;
}

export interface UserWithOrganization extends UserRow {
  organization_name: string;
}

export class EmailTakenError extends Error {
  constructor(readonly email: string) {
    super(`A user with the e-mail ${email} already exists.`);
    this.name = "EmailTakenError";
  }
}

const WITH_ORGANIZATION = `SELECT u.*, o.name AS organization_name FROM users u JOIN organizations o ON o.id = u.organization_id`;

export class UserStore {
  constructor(private readonly db: Database.Database) {}

  findOrganizationByName(name: string): OrganizationRow | undefined {
    return this.db.prepare("SELECT * FROM organizations WHERE name = ? COLLATE NOCASE").get(name) as OrganizationRow | undefined;
  }

  count(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM users").get() as { n: number }).n;
  }

  findByEmail(email: string): UserWithOrganization | undefined {
    return this.db.prepare(`${WITH_ORGANIZATION} WHERE u.email = ? COLLATE NOCASE`).get(email) as UserWithOrganization | undefined;
  }

  findById(id: string): UserWithOrganization | undefined {
    return this.db.prepare(`${WITH_ORGANIZATION} WHERE u.id = ?`).get(id) as UserWithOrganization | undefined;
  }

  /** Every user with their organization's name, by organization then e-mail (no password hashes). */
  list(): Array<Omit<UserWithOrganization, "password_hash">> {
    return this.db
      .prepare(
        `SELECT u.id, u.organization_id, u.email, u.created_at, o.name AS organization_name FROM users u
         JOIN organizations o ON o.id = u.organization_id
         ORDER BY o.name COLLATE NOCASE, u.email COLLATE NOCASE`,
      )
      .all() as Array<Omit<UserWithOrganization, "password_hash">>;
  }

  /**
   * Adds a user, creating the organization when no organization of that name (compared without
   * case) exists. Throws EmailTakenError when the e-mail is taken, in any organization.
   */
  add(input: { organizationName: string; email: string; passwordHash: string }): {
    user: UserRow;
    organization: OrganizationRow;
    organizationCreated: boolean;
  } {
    return this.db.transaction(() => {
      if (this.findByEmail(input.email)) throw new EmailTakenError(input.email);
      let organization = this.findOrganizationByName(input.organizationName);
      const organizationCreated = !organization;
      if (!organization) {
        organization = { id: randomUUID(), name: input.organizationName, created_at: nowIso() };
        this.db.prepare("INSERT INTO organizations (id, name, created_at) VALUES (@id, @name, @created_at)").run(organization);
      }
      const user: UserRow = {
        id: randomUUID(),
        organization_id: organization.id,
        email: input.email,
        password_hash: input.passwordHash,
        created_at: nowIso(),
      };
      this.db
        .prepare(
          `INSERT INTO users (id, organization_id, email, password_hash, created_at)
           VALUES (@id, @organization_id, @email, @password_hash, @created_at)`,
        )
        .run(user);
      return { user, organization, organizationCreated };
    })();
  }
}
