// The server tests' setup (jest.config.js, project "server"): databases kept for the data
// directories a test file named (servers restarted on the same data) are dropped when it ends.
import { dropKeptDatabases } from "./server/helpers";

afterAll(async () => {
  await dropKeptDatabases();
});
