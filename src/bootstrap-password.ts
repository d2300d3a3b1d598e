import type { EntityManager } from '@mikro-orm/postgresql';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DomainDeps } from './domain/deps';
import { bootstrapSuperAdmin, hasSignedIn } from './domain/identity/admins';

export interface Bootstrap {
  email: string;
  /** The generated password, while the admin has not signed in yet. */
  generatedPassword?: string;
  /** Where the generated password is kept (readable by its owner only). */
  file?: string;
}

/** `DATA_DIR/bootstrap-admin.json`: what `npm run demo` and a newcomer read instead of copying a password. */
export const bootstrapFile = (dataDir: string) => path.join(dataDir, 'bootstrap-admin.json');

/**
 * Creates the super admin on first start. A generated password is kept in a file only its owner may read, and
 * shown at every start until the first sign-in: a missed first banner is never a lost password.
 */
export async function bootstrap(
  em: EntityManager,
  deps: DomainDeps,
  dataDir: string,
  admin: { email: string; password?: string },
): Promise<Bootstrap | null> {
  const file = bootstrapFile(dataDir);
  const created = await bootstrapSuperAdmin(em, deps, admin.email, admin.password);
  if (created?.generatedPassword) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify({ email: created.email, password: created.generatedPassword }, null, 2) + '\n', { mode: 0o600 });
    return { ...created, file };
  }
  if (created || admin.password || !existsSync(file)) return created;
  const kept = JSON.parse(readFileSync(file, 'utf8')) as { email: string; password: string };
  if (await hasSignedIn(em, kept.email)) return { email: kept.email, file };
  return { email: kept.email, generatedPassword: kept.password, file };
}
