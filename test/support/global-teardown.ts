import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { requestRoleName } from '../../src/db/request-role-name';
import { embeddedDir } from './global-setup';

export default async function globalTeardown() {
  const serverUrl = process.env.AEGIS_TEST_SERVER_URL;
  const template = process.env.AEGIS_TEST_TEMPLATE;
  if (globalThis.__AEGIS_EMBEDDED__) {
    await globalThis.__AEGIS_EMBEDDED__.stop();
    rmSync(embeddedDir(), { recursive: true, force: true });
    return;
  }
  if (serverUrl && template) {
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${template} with (force)`);
    await admin.query(`drop role if exists ${requestRoleName(template)}`);
    await admin.end();
  }
}
