// Where a browser test's server keeps its data: a SQLite file in the test's folder, or,
// when RT_TEST_STORE_PG is set (ctest's "postgresql.browser"), a fresh schema of that
// PostgreSQL database (tests/test_util.h: NewPostgresSchema, the same for the C++ tests).

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";

export function testDatabase(dir) {
  const server = process.env.RT_TEST_STORE_PG;
  if (!server) return path.join(dir, "db.sqlite");
  const schema = "t_" + randomBytes(8).toString("hex");
  execFileSync("psql", [server, "-qc", `CREATE SCHEMA ${schema}`], { stdio: "pipe" });
  return server + (server.includes("?") ? "&" : "?") + "options=-csearch_path%3D" + schema;
}
