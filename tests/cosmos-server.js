// Starts @vercel/cosmosdb-server (an in-memory Cosmos DB NoSQL stand-in) for the integration tests.
// Usage: node tests/cosmos-server.js <port> [--https]
// Prints one line "cosmosdb-server ready <endpoint>" once it listens; everything is lost when it stops.
// Keep-alive matters: the package's own CLI closes the connection after every response (~150 ops/s);
// with keep-alive the same server serves ~1,000 writes/s.
"use strict";
const { createHttpServer, createHttpsServer } = require("@vercel/cosmosdb-server");

const port = Number.parseInt(process.argv[2] ?? "0", 10);
const https = process.argv.includes("--https");
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`usage: node tests/cosmos-server.js <port> [--https]; got port '${process.argv[2]}'`);
  process.exit(2);
}

const server = https ? createHttpsServer({ keepAlive: true }) : createHttpServer({ keepAlive: true });
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  console.log(`cosmosdb-server ready ${https ? "https" : "http"}://127.0.0.1:${address.port}/`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
// The test run owns this process through its standard input: when the runner goes away, so do we.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
