import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DemoError } from './client';

/**
 * The bootstrap super admin, as the server knows it: SUPER_ADMIN_EMAIL/SUPER_ADMIN_PASSWORD from the same env,
 * else what the server kept under DATA_DIR (./.data) on its first start. A newcomer never copies a password.
 */
export function superAdminCredentials(env: NodeJS.ProcessEnv = process.env): { email: string; password: string; from: string } {
  if (env.SUPER_ADMIN_PASSWORD) {
    return { email: env.SUPER_ADMIN_EMAIL || 'admin@aegis.local', password: env.SUPER_ADMIN_PASSWORD, from: 'SUPER_ADMIN_PASSWORD' };
  }
  const file = path.resolve(env.DATA_DIR ?? '.data', 'bootstrap-admin.json');
  if (!existsSync(file)) {
    throw new DemoError(
      `no admin credentials: set SUPER_ADMIN_EMAIL and SUPER_ADMIN_PASSWORD as for the server, or run the demo from the folder where \`npm start\` created ${file}`,
    );
  }
  const kept = JSON.parse(readFileSync(file, 'utf8')) as { email: string; password: string };
  return { ...kept, from: path.relative(process.cwd(), file) };
}
