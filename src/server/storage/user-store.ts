// Organizations and the users in them. Passwords arrive already hashed (services/passwords.ts);
// e-mails and organization names are compared without case.
import { randomUUID } from "node:crypto";
import type { Sql } from "./sql";
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
  constructor(private readonly sql: Sql) {}

  // organizations.name and users.email are compared (and sorted) without case by their columns:
  // COLLATE NOCASE on SQLite, citext on PostgreSQL.

  async findOrganizationByName(name: string): Promise<OrganizationRow | undefined> {
    return this.sql.get<OrganizationRow>("SELECT * FROM organizations WHERE name = ?", [name]);
  }

  async count(): Promise<number> {
    return ((await this.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM users")) as { n: number }).n;
  }

  async findByEmail(email: string): Promise<UserWithOrganization | undefined> {
    return this.sql.get<UserWithOrganization>(`${WITH_ORGANIZATION} WHERE u.email = ?`, [email]);
  }

  async findById(id: string): Promise<UserWithOrganization | undefined> {
    return this.sql.get<UserWithOrganization>(`${WITH_ORGANIZATION} WHERE u.id = ?`, [id]);
  }

  /** Every user with their organization's name, by organization then e-mail (no password hashes). */
  async list(): Promise<Array<Omit<UserWithOrganization, "password_hash">>> {
    return this.sql.all<Omit<UserWithOrganization, "password_hash">>(
      `SELECT u.id, u.organization_id, u.email, u.created_at, o.name AS organization_name FROM users u
       JOIN organizations o ON o.id = u.organization_id
       ORDER BY o.name, u.email`,
    );
  }

  /**
   * Adds a user, creating the organization when no organization of that name (compared without
   * case) exists. Throws EmailTakenError when the e-mail is taken, in any organization.
   */
  async add(input: { organizationName: string; email: string; passwordHash: string }): Promise<{
    user: UserRow;
    organization: OrganizationRow;
    organizationCreated: boolean;
  }> {
    return this.sql.transaction(async () => {
      if (await this.findByEmail(input.email)) throw new EmailTakenError(input.email);
      let organization = await this.findOrganizationByName(input.organizationName);
      const organizationCreated = !organization;
      if (!organization) {
        organization = { id: randomUUID(), name: input.organizationName, created_at: nowIso() };
        await this.sql.run("INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)", [organization.id, organization.name, organization.created_at]);
      }
      const user: UserRow = {
        id: randomUUID(),
        organization_id: organization.id,
        email: input.email,
        password_hash: input.passwordHash,
        created_at: nowIso(),
      };
      await this.sql.run(
        `INSERT INTO users (id, organization_id, email, password_hash, created_at)
         VALUES (?, ?, ?, ?, ?)`,
        [user.id, user.organization_id, user.email, user.password_hash, user.created_at],
      );
      return { user, organization, organizationCreated };
    });
  }
}
