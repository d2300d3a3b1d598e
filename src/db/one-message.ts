import type { Knex } from 'knex';
import { escapeLiteral } from 'pg';

/**
 * Statements that travel in another statement's message. node-postgres waits for each answer before it sends the
 * next statement, so every statement is a round trip: a socket write and read here, the largest single cost of a
 * command's CPU in the profile (bench/README.md). Two kinds need no answer of their own:
 *  - a transaction's first statement, whose answer is needed but not before BEGIN's: it goes in BEGIN's message;
 *  - an insert nothing in the transaction reads back (a command's audit entry): it goes in COMMIT's message;
 * and a write nothing waits on (a recorded intent) needs no BEGIN or COMMIT: it goes with its tenant setting alone.
 * The simple protocol that carries several statements takes no parameters, so their values are inlined here as
 * literals, and nowhere else. Table, column and statement texts are the callers' constants, never input.
 */

/** A value inlined into a statement's text. */
export type SqlValue = string | number | boolean | Date | null;

/** A value as its literal; objects (JSON properties) as their JSON text. Throws on anything else. */
export function literal(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  // escapeLiteral doubles quotes and, with any backslash, writes an E'' string: safe for any text.
  if (typeof value === 'string') return escapeLiteral(value);
  if (value instanceof Date) return escapeLiteral(value.toISOString());
  if (typeof value === 'object' && !Array.isArray(value)) return escapeLiteral(JSON.stringify(value));
  throw new Error(`no literal for a ${Array.isArray(value) ? 'array' : typeof value}`);
}

/** A statement sent in another's message: `?` placeholders, one value each, inlined (ids and hashes, mostly). */
export interface FirstStatement {
  sql: string;
  /** A list is for `in (?)`: its values inlined one after another, as knex expands it. */
  params: readonly (SqlValue | readonly string[])[];
}

/**
 * A read of a message of reads (readInOneMessage, src/db/site-binding.ts), named in pg_stat_statements as riding on
 * it by a comment after its first word (pg_stat_statements keeps comments inside a statement, not before it): a
 * subquery's alias, as sentWithBegin's, would leave the order of its rows unspecified.
 */
export function sentWithRead(read: FirstStatement): string {
  const text = inlined(read);
  const named = text.replace(LEADING_SELECT, 'select /* sent_with_read */');
  if (named === text) throw new Error(`a read is a select: ${text.slice(0, 40)}`);
  return named;
}

const LEADING_SELECT = /^\s*select\b/i;

/**
 * The first statement as BEGIN's message carries it. The alias names it in pg_stat_statements: the bench counts
 * it as riding on BEGIN's round trip (bench/statements.ts). Its rows are the statement's own; a write's are its
 * RETURNING (a write cannot be a subquery, but it can be a WITH).
 */
export const sentWithBegin = (first: FirstStatement): string =>
  /^\s*(insert|update|delete)\b/i.test(first.sql)
    ? `WITH written AS (${inlined(first)}) SELECT * FROM written AS sent_with_begin`
    : `SELECT * FROM (${inlined(first)}) AS sent_with_begin`;

/** The statement with its values inlined in place of its `?` placeholders. */
export function inlined(statement: FirstStatement): string {
  const parts = statement.sql.split('?');
  if (parts.length !== statement.params.length + 1)
    throw new Error(`${statement.params.length} values for ${parts.length - 1} placeholders`);
  return parts.reduce((sql, part, i) => `${sql}${listOrLiteral(statement.params[i - 1]!)}${part}`);
}

function listOrLiteral(value: SqlValue | readonly string[]): string {
  if (!Array.isArray(value)) return literal(value);
  if (value.length === 0) throw new Error('an empty list for in (?)');
  return value.map(literal).join(', ');
}

/**
 * Per writing transaction of beginInSite, what its COMMIT's message carries: the inserted rows (table and columns ->
 * their VALUES tuples, in the order they came), then the statements of its last flush (flushWithCommit).
 */
export interface Riders {
  rows: Map<string, { table: string; columns: string; rows: string[] }>;
  statements: string[];
  /** Reads among the statements whose rows the command waits for, by their place in `statements`. */
  reads: Map<number, (rows: Record<string, unknown>[]) => void>;
}
export const ridersOf = new WeakMap<Knex.Transaction, Riders>();

/**
 * A read for COMMIT's message, after everything the command wrote: its rows once the transaction committed, or
 * null when `trx` is not a writing transaction of beginInSite (the caller reads now). If the transaction fails,
 * the promise never settles: the command's own failure is what its caller sees.
 */
export function readWithCommit(trx: unknown, statement: FirstStatement): Promise<Record<string, unknown>[]> | null {
  const riders = ridersOf.get(trx as Knex.Transaction);
  if (!riders) return null;
  const at = riders.statements.push(inlined(statement)) - 1;
  return new Promise((resolve) => riders.reads.set(at, resolve));
}

/** A statement for COMMIT's message, after the inserted rows; false when `trx` is not a writing transaction of beginInSite. */
export function statementWithCommit(trx: unknown, statement: string): boolean {
  const riders = ridersOf.get(trx as Knex.Transaction);
  if (!riders) return false;
  riders.statements.push(statement);
  return true;
}

/**
 * Inserts a row in COMMIT's own message, not a round trip of its own. Rows of one table and columns go as one
 * multi-row INSERT, as the ORM's flush batches them. False when `trx` is not a writing transaction of beginInSite:
 * the caller writes the row itself. A refused or failed transaction never sends them.
 */
export function insertWithCommit(trx: unknown, table: string, row: Record<string, SqlValue>): boolean {
  const pending = ridersOf.get(trx as Knex.Transaction)?.rows;
  if (!pending) return false;
  const columns = Object.keys(row).join(', ');
  const key = `${table}(${columns})`;
  const values = `(${Object.values(row).map(literal).join(', ')})`;
  const group = pending.get(key);
  if (group) group.rows.push(values);
  else pending.set(key, { table, columns, rows: [values] });
  return true;
}

/**
 * The statements COMMIT's message carries; the alias names them in pg_stat_statements, as sentWithBegin's does.
 * Built once: the rows become their INSERTs, kept as the transaction's statements, so the commit's logging and its
 * sending read the same list.
 */
export function statementsWithCommit(trx: Knex.Transaction): string[] {
  const riders = ridersOf.get(trx);
  if (!riders) return [];
  if (riders.rows.size > 0) {
    const inserts = [...riders.rows.values()].map(
      (g) => `INSERT INTO ${g.table} AS sent_with_commit (${g.columns}) VALUES ${g.rows.join(', ')}`,
    );
    riders.statements.unshift(...inserts);
    riders.rows.clear();
    // The reads' places move with the inserts put ahead of them.
    riders.reads = new Map([...riders.reads].map(([at, answer]) => [at + inserts.length, answer]));
  }
  return riders.statements;
}

/** Hands each read of COMMIT's message its rows: `results` holds one result per statement of the message, in order. */
export function answerReads(riders: Riders, results: readonly { rows: Record<string, unknown>[] }[]): void {
  for (const [at, answer] of riders.reads) answer(results[at]!.rows);
}
