// Runs SQL statements, in order and in one session, through a Presto or Trino client from npm:
//   node run-statements.mjs presto|trino <server url> < statements.json
// statements.json is a JSON array of SQL strings. Prints one JSON array: per statement, the column names and
// types and the rows the client returned, or the error it raised. For a server with passwords, over HTTPS:
// SQL_USER, SQL_PASSWORD, and SQL_CA_FILE (the PEM certificate to trust).
import { readFileSync } from 'node:fs';
import presto from 'presto-client';
import { Trino, BasicAuth } from 'trino-client';

const [engine, server] = process.argv.slice(2);
const url = new URL(server);
const user = process.env.SQL_USER ?? 'tests';
const password = process.env.SQL_PASSWORD;
const ssl = process.env.SQL_CA_FILE ? { ca: readFileSync(process.env.SQL_CA_FILE) } : undefined;

let input = '';
for await (const chunk of process.stdin) input += chunk;
const statements = JSON.parse(input);

const prestoClient = new presto.Client({
  host: url.hostname, port: Number(url.port), user, catalog: 'hive', schema: 'default', checkInterval: 10, timeout: 60,
  ssl, basic_auth: password ? { user, password } : undefined,
});
const trino = Trino.create({
  server, catalog: 'hive', schema: 'default', ssl,
  auth: password ? new BasicAuth(user, password) : undefined,
  extraHeaders: password ? {} : { 'X-Trino-User': user },
});

const viaPresto = query => new Promise((resolve, reject) => {
  let columns = null;
  const rows = [];
  prestoClient.execute({
    query,
    columns: (error, received) => { columns = received; },
    data: (error, data) => rows.push(...data),
    success: () => resolve({ columns, rows }),
    error: error => reject(new Error(error.message ?? JSON.stringify(error))),
  });
});

const viaTrino = async query => {
  let columns = null;
  const rows = [];
  for await (const result of await trino.query(query)) {
    if (result.error) throw new Error(result.error.message);
    columns ??= result.columns ?? null;
    rows.push(...(result.data ?? []));
  }
  return { columns, rows };
};

const run = engine === 'trino' ? viaTrino : viaPresto;
const answers = [];
for (const sql of statements) {
  try {
    const { columns, rows } = await run(sql);
    answers.push({ sql, columns: (columns ?? []).map(c => ({ name: c.name, type: c.type })), rows });
  } catch (error) {
    answers.push({ sql, error: error.message });
  }
}
console.log(JSON.stringify(answers));
