#!/usr/bin/env node
// A throwaway PostgreSQL cluster for the server tests and benchmarks (see scripts/postgres-cluster-lib.mjs).
//
//   node scripts/postgres-cluster.mjs start [--dir D]   initdb + start on a free 127.0.0.1 port; prints ONE line
//                                                       to stdout, the admin URL postgres://postgres@127.0.0.1:PORT/postgres
//                                                       (state in D/cluster.json; D defaults to a new temp directory)
//   node scripts/postgres-cluster.mjs stop --dir D      pg_ctl stop -m fast, then removes D
//   node scripts/postgres-cluster.mjs available         exit 0 when PostgreSQL's binaries are found (prints their directory)
//
// The cluster keeps running after `start` exits: stop it with `stop --dir D`.
import { INSTALL_HINT, NOT_INSTALLED, findPostgresBin, missingExtensions, startCluster, stopCluster } from "./postgres-cluster-lib.mjs";

const USAGE = "usage: node scripts/postgres-cluster.mjs start [--dir D] | stop --dir D | available";

function parse(argv) {
  const [command, ...rest] = argv;
  const options = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--dir" && rest[i + 1] !== undefined) options.dir = rest[++i];
    else if (arg.startsWith("--dir=")) options.dir = arg.slice("--dir=".length);
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return { command, options };
}

async function main() {
  const { command, options } = parse(process.argv.slice(2));
  switch (command) {
    case "start": {
      const cluster = await startCluster({ dir: options.dir, log: (line) => console.error(line) });
      console.log(cluster.url);
      console.error(`Stop it with: node scripts/postgres-cluster.mjs stop --dir ${cluster.dir}`);
      return 0;
    }
    case "stop": {
      if (!options.dir) throw new Error(`stop needs --dir D (the directory \`start\` reported)\n${USAGE}`);
      stopCluster(options.dir);
      console.error(`Stopped the PostgreSQL cluster in ${options.dir} and removed the directory.`);
      return 0;
    }
    case "available": {
      const bin = findPostgresBin();
      if (!bin) {
        console.log(NOT_INSTALLED);
        return 1;
      }
      const missing = missingExtensions(bin);
      if (missing.length) {
        console.log(`PostgreSQL in ${bin} lacks the ${missing.join(" and ")} extension(s): ${INSTALL_HINT}`);
        return 1;
      }
      console.log(bin);
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`postgres-cluster: ${err.message}`);
    process.exit(1);
  },
);
