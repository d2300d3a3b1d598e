import { createHash } from 'node:crypto';

/**
 * The name of a database's own request role (src/db/request-role.ts). Kept apart with no import of the ORM: the
 * test harness computes it in Jest's parent realm, where MikroORM must never load.
 */
export function requestRoleName(database: string): string {
  const plain = `aegis_app_${database.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
  // PostgreSQL cuts identifiers at 63 bytes: a long name keeps a prefix and a hash of the whole.
  return plain.length <= 63 ? plain : `${plain.slice(0, 50)}_${createHash('sha256').update(database).digest('hex').slice(0, 12)}`;
}
