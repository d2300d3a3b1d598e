import 'reflect-metadata';
import { migrate } from './database';

// `node dist/db/migrate-cli.js [DATABASE_URL]`: applies the committed migrations and exits.
const url = process.argv[2] || process.env.DATABASE_URL;
if (!url) {
  console.error('usage: migrate-cli <postgres url> (or DATABASE_URL)');
  process.exit(2);
}
migrate(url, { appPassword: process.env.DATABASE_APP_PASSWORD || undefined }).then(
  ({ applied, requestRole }) =>
    console.log(`${applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations'}; request role ${requestRole.role}`),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
