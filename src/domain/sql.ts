import type { EntityManager } from '@mikro-orm/postgresql';

export type EntityClass<T> = new (...args: never[]) => T;

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

/**
 * A hand-written lookup of one entity, not yet sent: run alone (selectLookup), or as a command's first statement,
 * sent with its BEGIN (inSite's `first`, src/domain/tx.ts). Its values are strings (ids, hashes), so it can be
 * inlined into BEGIN's message (src/db/one-message.ts).
 */
/** A lookup's value: inlined where it travels in another's message (src/db/one-message.ts); a list is for `in (?)`. */
export type LookupValue = string | number | boolean | Date | null | readonly string[];

export interface Lookup<T extends object> {
  /** What its rows become, managed by the transaction's fork; null: the rows as they came. */
  entity: EntityClass<T> | null;
  sql: string;
  params: readonly LookupValue[];
}

/** A row as it came from the database: a write's RETURNING (the webhook's inbox row). */
export type Row = Record<string, unknown>;

export const lookup = <T extends object>(entity: EntityClass<T>, sql: string, params: readonly LookupValue[]): Lookup<T> => ({
  entity,
  sql,
  params,
});

/** A statement whose first row is wanted as it is (an insert's RETURNING), sent like a lookup. */
export const rowLookup = (sql: string, params: readonly LookupValue[]): Lookup<Row> => ({ entity: null, sql, params });

/** A row of the lookup as its entity, managed by `tx` (or as it came). */
export const rowOf = <T extends object>(tx: EntityManager, l: Lookup<T>, row: Row): T => (l.entity ? tx.map(l.entity, row) : (row as T));

/** The lookup's first row as its entity (or as it came); null when there is none. */
export const foundOf = <T extends object>(tx: EntityManager, l: Lookup<T>, rows: readonly Row[] | undefined): T | null =>
  rows?.[0] ? rowOf(tx, l, rows[0]) : null;

/** A lookup run on its own; no lookup (an id that can match nothing) finds nothing. */
export const selectLookup = async <T extends object>(tx: EntityManager, l: Lookup<T> | null): Promise<T | null> =>
  l ? foundOf(tx, l, await tx.execute<Row[]>(l.sql, [...l.params])) : null;
