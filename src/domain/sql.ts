import type { EntityManager } from '@mikro-orm/postgresql';

type EntityClass<T> = new (...args: never[]) => T;

/**
 * Hot-path lookups by hand-written SQL, hydrated as managed entities, so the unit of work still tracks and
 * flushes them. Measured here, a MikroORM find costs about 1.2 ms of CPU per lookup against 0.4 ms for this
 * (bench/README.md, "Where the time goes"). Every statement runs inside a site-bound transaction, so row-level
 * security scopes it; each still names its site_id where the table has one.
 */
export async function selectEntities<T extends object>(
  tx: EntityManager,
  entity: EntityClass<T>,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const rows = await tx.execute<Record<string, unknown>[]>(sql, params);
  return rows.map((row) => tx.map(entity, row));
}

export async function selectEntity<T extends object>(
  tx: EntityManager,
  entity: EntityClass<T>,
  sql: string,
  params: unknown[],
): Promise<T | null> {
  return (await selectEntities(tx, entity, sql, params))[0] ?? null;
}
