// A clearing worker process for bench/ledger.ts: pg-boss on the bench's schemas, the Node build's
// default hasher (node:crypto's SHA-256), until SIGTERM. Loads the build (dist/).
import pg from 'pg';
import PgBoss from 'pg-boss';
import { startClearingWorker } from '../dist/postgres.js';

const [url, schema, bossSchema] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 3 });
const boss = new PgBoss({ connectionString: url, schema: bossSchema, max: 2 });
boss.on('error', () => undefined);
await boss.start();
const worker = await startClearingWorker({
  client: pool,
  boss,
  schema,
});
process.stdout.write('ready\n');
process.on('SIGTERM', async () => {
  await worker.stop();
  await boss.stop({ graceful: false });
  await pool.end();
  process.exit(0);
});
