import type { Configuration, LogContext, TransactionEventBroadcaster } from '@mikro-orm/core';
import { PostgreSqlKnexDialect } from '@mikro-orm/knex';
import { PostgreSqlConnection, PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { Knex } from 'knex';
import { DatabaseError } from 'pg';
import { isUuid } from '../domain/ids';
import {
  answerReads,
  inlined,
  ridersOf,
  sentWithBegin,
  sentWithRead,
  statementsWithCommit,
  type FirstStatement,
  type Riders,
} from './one-message';

/**
 * BEGIN and the tenant setting in one round trip. Every request transaction starts with both (row-level security
 * keys on `app.site_id`, set per transaction), and node-postgres waits for each answer before it sends the next
 * statement: sent apart they cost two round trips, each a socket write and read here and a statement for
 * PostgreSQL (bench/README.md). Sent together as one simple-protocol message, PostgreSQL runs them in order, and a
 * failure of either fails the BEGIN as before. The site id is inlined (the simple protocol takes no parameters):
 * only a checked uuid, or '' for platform work, ever gets into the text.
 */
export function bindingBegin(siteId: string, readOnly: boolean, first: readonly FirstStatement[] = []): string {
  const begin = readOnly ? 'BEGIN TRANSACTION READ ONLY' : 'BEGIN';
  return [`${begin}; ${tenantSetting(siteId, 'bound_with_begin')}`, ...first.map(sentWithBegin)].join(';\n');
}

/**
 * The per-transaction tenant setting, for a checked uuid or '' (platform work). The alias names it in
 * pg_stat_statements: the bench counts it as riding on its message's round trip (bench/statements.ts).
 */
function tenantSetting(siteId: string, alias: 'bound_with_begin' | 'bound_with_write' | 'bound_with_read'): string {
  if (siteId !== '' && !isUuid(siteId)) throw new Error(`not a site id: ${JSON.stringify(siteId)}`);
  return `SELECT set_config('app.site_id', '${siteId}', true) AS ${alias}`;
}

/** What begins a message of reads: its implicit transaction is read-only, as a read's BEGIN makes it. */
const READ_ONLY = 'SET TRANSACTION READ ONLY';

interface KnexTransactionInternals {
  readOnly?: boolean;
  begin(conn: unknown): Promise<unknown>;
  commit(conn: unknown, value: unknown): Promise<unknown>;
  query(conn: unknown, sql: string, status?: number, value?: unknown): Promise<unknown>;
  // knex's own state, which commit sets as knex's query does (see commitWithRiders).
  _completed: boolean;
  _resolver(value: unknown): void;
  _rejecter(err: unknown): void;
  trxClient: { query(conn: unknown, sql: string): Promise<unknown> };
  transactor: Knex.Transaction;
}

// knex keeps its PostgreSQL transaction class internal; MikroORM's own dialect reaches into knex/lib the same way.
const KnexPgTransaction: new (
  ...args: unknown[]
) => KnexTransactionInternals = require('knex/lib/dialects/postgres/execution/pg-transaction');

/** A knex transaction that, when given a site, begins with its binding; without one it is knex's own. */
class SiteBindingTransaction extends KnexPgTransaction {
  // Kept from the config (knex replaces its userParams); read by begin, which knex calls a tick after construction.
  private readonly siteId: string | undefined;

  private readonly first: readonly FirstStatement[];
  private readonly found: { rows: Record<string, unknown>[][] } | undefined;

  constructor(client: unknown, container: unknown, config?: SiteBindingConfig, outerTx?: unknown) {
    super(client, container, config, outerTx);
    this.siteId = outerTx ? undefined : config?.siteId;
    this.first = (!outerTx && config?.first) || [];
    this.found = config?.found;
  }

  begin(conn: unknown): Promise<unknown> {
    const siteId = this.siteId;
    if (siteId === undefined) return super.begin(conn);
    if (this.first.length === 0) return this.query(conn, bindingBegin(siteId, this.readOnly === true));
    return this.trxClient.query(conn, bindingBegin(siteId, this.readOnly === true, this.first)).then(
      (res) => {
        // One message, several answers: BEGIN's, the tenant setting's, then one per first statement.
        const response = (res as { response: PgResult[] }).response;
        this.found!.rows = response.slice(2).map((r) => r.rows);
        return res;
      },
      async (err: unknown) => {
        // A first statement failed after BEGIN had opened the transaction: close it before the pool takes the connection back.
        await rawRollback(conn, err);
        throw err;
      },
    );
  }

  commit(conn: unknown, value: unknown): Promise<unknown> {
    const riders = ridersOf.get(this.transactor);
    const statements = statementsWithCommit(this.transactor);
    ridersOf.delete(this.transactor);
    return statements.length === 0 ? super.commit(conn, value) : this.commitWithRiders(conn, statements, riders!, value);
  }

  /**
   * The riders and COMMIT as one simple-protocol message. If a rider fails, PostgreSQL skips the rest of the
   * message, COMMIT included, and the transaction is left aborted: it is rolled back here, on the raw connection,
   * before knex hands the connection back to the pool. Completion is marked at once, as knex's own commit does.
   */
  private commitWithRiders(conn: unknown, statements: string[], riders: Riders, value: unknown): Promise<unknown> {
    const sent = this.trxClient.query(conn, `${statements.join(';\n')};\nCOMMIT`).then(
      (res) => {
        // Committed: the reads among the riders get their rows (one result per statement, COMMIT's last).
        answerReads(riders, (res as { response: PgResult[] }).response);
        this._resolver(value);
      },
      async (err: unknown) => {
        await rawRollback(conn, err);
        this._rejecter(err);
      },
    );
    this._completed = true;
    return sent;
  }
}

const isDriverError = (err: unknown): err is Error & { code: string } =>
  err instanceof Error && typeof (err as { code?: unknown }).code === 'string';

interface PgResult {
  rows: Record<string, unknown>[];
}

/**
 * ROLLBACK on the raw connection, past knex's bookkeeping (which may already count the transaction as done), when
 * PostgreSQL refused a statement and the connection is still there; a lost connection has no transaction left.
 */
const rawRollback = async (conn: unknown, err: unknown) => {
  if (err instanceof DatabaseError) await (conn as { query(sql: string): Promise<unknown> }).query('ROLLBACK').catch(() => undefined);
};

/** What beginInSite hands knex: the site, and the first statements to send with BEGIN and where their rows go. */
interface SiteBindingConfig {
  siteId?: string;
  first?: readonly FirstStatement[];
  found?: { rows: Record<string, unknown>[][] };
}

class SiteBindingDialect extends PostgreSqlKnexDialect {
  transaction(container: unknown, config?: SiteBindingConfig, outerTx?: unknown) {
    return new SiteBindingTransaction(this, container, config, outerTx);
  }
}

export class SiteBindingConnection extends PostgreSqlConnection {
  override createKnex(): void {
    // Typed as a client name; knex takes a client class too, which is how PostgreSqlConnection passes its dialect.
    this.client = this.createKnexClient(SiteBindingDialect as unknown as string);
    (this.client.client as unknown as { ormConfig: unknown }).ormConfig = this.config;
    this.connected = true;
  }

  /**
   * A top-level transaction bound to one site ('' for none) from its first round trip, which may carry the
   * transaction's first statements too (their rows are `found`, one list each); rows may ride on its COMMIT.
   */
  async beginInSite(
    siteId: string,
    readOnly: boolean,
    first: readonly FirstStatement[] = [],
  ): Promise<{ trx: Knex.Transaction; found: Record<string, unknown>[][] }> {
    const found = { rows: [] as Record<string, unknown>[][] };
    const config: SiteBindingConfig & { readOnly: boolean } = { readOnly, siteId, first, found };
    const trx = await this.getKnex().transaction(null, config as Knex.TransactionConfig);
    this.logQuery(bindingBegin(siteId, readOnly));
    // Logged as a statement of its own (it is): the statement budgets count it.
    for (const statement of first) this.logQuery(sentWithBegin(statement));
    if (!readOnly) ridersOf.set(trx, { rows: new Map(), statements: [], reads: new Map() });
    return { trx, found: found.rows };
  }

  /**
   * A write nothing waits on, in one message with its tenant setting and no BEGIN or COMMIT: PostgreSQL runs a
   * message of several statements as one implicit transaction, so the setting (local to it) binds the write, and a
   * failure of either rolls both back. One round trip where BEGIN, the write and COMMIT take three.
   */
  async writeInOneMessage(siteId: string, write: FirstStatement): Promise<void> {
    if (siteId === '') throw new Error('a write sent alone belongs to a site');
    await this.inOneMessage([tenantSetting(siteId, 'bound_with_write'), inlined(write)]);
  }

  /**
   * Reads that do not depend on one another, in one message with the tenant setting: one implicit transaction,
   * read-only, each statement with its own snapshot as in a READ COMMITTED transaction. A failure ends it (PostgreSQL
   * rolls an implicit transaction back itself). One round trip where BEGIN, the reads and COMMIT take two or more.
   * Their rows, one list per read.
   */
  async readInOneMessage(siteId: string, reads: readonly FirstStatement[]): Promise<Record<string, unknown>[][]> {
    const results = await this.inOneMessage([READ_ONLY, tenantSetting(siteId, 'bound_with_read'), ...reads.map(sentWithRead)]);
    return results.slice(2).map((r) => r.rows);
  }

  /** Statements as one simple-protocol message on a pooled connection; each logged as the statement it is (the budgets count them). */
  private async inOneMessage(statements: string[]): Promise<PgResult[]> {
    const client = this.getKnex().client;
    const conn = (await client.acquireConnection()) as { query(sql: string): Promise<PgResult[]> };
    let results: PgResult[];
    try {
      results = await conn.query(statements.join(';\n'));
    } finally {
      await client.releaseConnection(conn);
    }
    for (const statement of statements) this.logQuery(statement);
    return results;
  }

  /** The riders are logged as statements of their own (they are): the statement budgets count them. */
  override async commit(ctx: Knex.Transaction, eventBroadcaster?: TransactionEventBroadcaster, loggerContext?: LogContext): Promise<void> {
    const riders = statementsWithCommit(ctx);
    for (const sql of riders) this.logQuery(sql, loggerContext);
    try {
      return await super.commit(ctx, eventBroadcaster, loggerContext);
    } catch (err) {
      // A rider's failure as the ORM's own (a unique violation is a CONFLICT to the command, as in a flush).
      throw riders.length > 0 && isDriverError(err) ? this.platform.getExceptionConverter().convertException(err) : err;
    }
  }
}

/** PostgreSqlDriver with the connection above; PostgreSqlDriver itself adds nothing but its constructor. */
export class SiteBindingDriver extends PostgreSqlDriver {
  constructor(config: Configuration) {
    super(config);
    (this as unknown as { connection: SiteBindingConnection }).connection = new SiteBindingConnection(this.config);
  }
}
