// `npm run user:add -- --org ORG --email EMAIL --password PASSWORD`
// Adds a user to the storage the server uses (SIDECAR_DATABASE_URL when set, else SQLite in
// SIDECAR_DATA_DIR), creating the organization when it is new. Safe to run while the server is running.
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, type Config } from "../config";
import { Storage } from "../storage/storage";
import { MIN_PASSWORD_LENGTH, UserInputError, addUser } from "../services/users";

const USAGE = `Usage: npm run user:add -- --org ORGANIZATION --email EMAIL --password PASSWORD

Adds a person who can sign in to the Sidecar server (organization created if new).
The password needs at least ${MIN_PASSWORD_LENGTH} characters. Uses SIDECAR_DATABASE_URL or SIDECAR_DATA_DIR like the server.`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(1);
}

async function main(): Promise<void> {
  let values: { org?: string; email?: string; password?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        org: { type: "string" },
        email: { type: "string" },
        password: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const missing = (["org", "email", "password"] as const).filter((name) => !values[name]);
  if (missing.length > 0) fail(`Missing ${missing.map((name) => `--${name}`).join(", ")}.`);

  let config: Pick<Config, "dataDir" | "databaseUrl">;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }

  const { dataDir, databaseUrl } = config;
  // The server may be running on the same storage (SQLite lets both write): no data-directory lock.
  const storage = await Storage.open(databaseUrl ? { databaseUrl, dataDir } : { dataDir }, { lock: false, poolSize: 1 });
  try {
    const added = await addUser(storage, {
      organizationName: values.org as string,
      email: values.email as string,
      password: values.password as string,
    });
    console.log(
      `Added ${added.email} to organization "${added.organization.name}"${added.organizationCreated ? " (new organization)" : ""}.\nArtos user id (POST /get-access-token): ${added.userId}\n${databaseUrl ? "Database: PostgreSQL (SIDECAR_DATABASE_URL)" : `Data directory: ${dataDir}`}\nThey can sign in now.`,
    );
  } catch (error) {
    if (error instanceof UserInputError) {
      console.error(`${error.message} No user was added.`);
      process.exitCode = 1;
      return;
    }
    throw error;
  } finally {
    await storage.close();
  }
}

main().catch((error: unknown) => {
  console.error("Could not add the user:", error);
  process.exit(1);
});
