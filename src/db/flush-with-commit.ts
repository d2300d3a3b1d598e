import { ChangeSetType, Utils, type ChangeSet, type EntityManager } from '@mikro-orm/core';
import { literal, ridersOf, statementWithCommit } from './one-message';

/**
 * A command's last flush, sent in its COMMIT's message instead of a round trip per statement. Nothing in the
 * command reads its own writes back after that flush, and their answers hold nothing it needs: every key is
 * made here (uuidv7) and no column is filled by the database (MikroORM would read those back). The statements
 * are the ones the flush would send, with their values inlined (src/db/one-message.ts); a failure at COMMIT
 * rolls the whole command back, as a failed flush does.
 *
 * Only where their order cannot matter: updates of existing rows and at most one new row, inserted first (a row
 * the updates may point at). Anything else (deletes, two new rows whose foreign keys order them, a value that is
 * raw SQL) returns false, and the caller flushes as before.
 */
export function flushWithCommit(em: EntityManager): boolean {
  const trx = em.getTransactionContext();
  if (!ridersOf.has(trx)) return false;
  const uow = em.getUnitOfWork();
  uow.computeChangeSets();
  const sets = uow.getChangeSets();
  const creates = sets.filter((cs) => cs.type === ChangeSetType.CREATE);
  const updates = sets.filter((cs) => cs.type === ChangeSetType.UPDATE);
  if (creates.length + updates.length !== sets.length || creates.length > 1) return false;
  if (creates.some(readsBack) || sets.some((cs) => Object.values(cs.payload).some((v) => Utils.isRawSql(v) || Array.isArray(v))))
    return false;
  const statements = [...creates.map(insertOf), ...updates.map(updateOf)];
  for (const statement of statements) statementWithCommit(trx, statement);
  return true;
}

/** A new row MikroORM would read back after its insert: a column the database fills (a default, a sequence). */
const readsBack = (cs: ChangeSet<object>) =>
  cs.meta.props.some((p) => (p.defaultRaw || p.autoincrement || p.generated) && !(p.name in cs.payload));

const columnOf = (cs: ChangeSet<object>, property: string): string => {
  const field = (cs.meta.properties as Record<string, { fieldNames?: string[] } | undefined>)[property]?.fieldNames?.[0];
  if (!field) throw new Error(`${cs.name}.${property} has no column`);
  return field;
};

function insertOf(cs: ChangeSet<object>): string {
  const properties = Object.keys(cs.payload);
  const columns = properties.map((p) => columnOf(cs, p)).join(', ');
  const values = properties.map((p) => literal((cs.payload as Record<string, unknown>)[p])).join(', ');
  return `INSERT INTO ${cs.meta.tableName} AS sent_with_commit (${columns}) VALUES (${values})`;
}

/** By its key, and by its site where it has one: the tables are keyed (site_id, id) for sharding. */
function updateOf(cs: ChangeSet<object>): string {
  const payload = cs.payload as Record<string, unknown>;
  const set = Object.keys(payload).map((p) => `${columnOf(cs, p)} = ${literal(payload[p])}`);
  const entity = cs.entity as Record<string, unknown>;
  const keys = [...('siteId' in cs.meta.properties ? ['siteId'] : []), ...cs.meta.primaryKeys];
  const where = keys.map((k) => `${columnOf(cs, k)} = ${literal(entity[k])}`).join(' AND ');
  return `UPDATE ${cs.meta.tableName} AS sent_with_commit SET ${set.join(', ')} WHERE ${where}`;
}
