// Tokens kept in memory by servers sharing one PostgreSQL database (storage/sign-in-store.ts): a
// sign-in ended on one server is refused by the other within moments, and while the other cannot
// hear of ended sign-ins (its listening connection is cut) it reads every token from the database.
// PostgreSQL only (SIDECAR_TEST_ENGINE=postgres).
import { endpoints } from "../../src/shared/contract/endpoints";
import { testEngine } from "../support/postgres";
import { bearer, cutListeners, listeners, signIn, until, useTwoServersOnOneDatabase, type TestServer } from "./helpers";

const describePostgres = testEngine === "postgres" ? describe : describe.skip;

describePostgres("tokens kept in memory by two servers on one database", () => {
  const two = useTwoServersOnOneDatabase();

  const me = async (server: TestServer, token: string) => (await fetch(server.url + endpoints.me.path, { headers: bearer(token) })).status;
  // The notice of an ended sign-in reaches a server at the commit, so within milliseconds (a request
  // may arrive first); a server that missed it would accept the token for 30 s more.
  const refusedSoon = (server: TestServer, token: string) => until(async () => (await me(server, token)) === 401, 2000);
  const logout = async (server: TestServer, accessToken: string) =>
    (await fetch(server.url + endpoints.logout.path, { method: "POST", headers: bearer(accessToken) })).status;

  test("a sign-in ended on one server is refused by the other within moments, though it had just accepted the token", async () => {
    const { a, b } = two;
    const pair = await signIn(a.url);
    expect(await me(b, pair.ejento_access_token)).toBe(200);
    expect(await me(b, pair.ejento_access_token)).toBe(200);
    expect(await logout(a, pair.access_token)).toBe(204);
    await refusedSoon(b, pair.ejento_access_token);
    await refusedSoon(a, pair.ejento_access_token);
  });

  test("while its listening connection is cut, a server reads every token from the database; listening again, it hears ended sign-ins again", async () => {
    const { a, b, database } = two;
    const pair = await signIn(a.url);
    expect(await me(b, pair.ejento_access_token)).toBe(200);
    await cutListeners(database.url, "sidecar-sign-ins");
    await until(() => two.logOfB.includes("hearing of sign-ins ended by the other server processes failed"), 10_000);
    // Used on B meanwhile, then ended while nobody hears it: B, not listening, kept nothing.
    expect(await me(b, pair.ejento_access_token)).toBe(200);
    expect(await logout(a, pair.access_token)).toBe(204);
    expect(await me(b, pair.ejento_access_token)).toBe(401);

    // Listening again (a second later): tokens are kept, and ended sign-ins heard, as before.
    await until(async () => (await listeners(database.url, "sidecar-sign-ins")) === 2, 10_000);
    const again = await signIn(a.url);
    expect(await me(b, again.ejento_access_token)).toBe(200);
    expect(await me(b, again.ejento_access_token)).toBe(200);
    expect(await logout(a, again.access_token)).toBe(204);
    await refusedSoon(b, again.ejento_access_token);
  }, 20_000);
});
