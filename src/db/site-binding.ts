import type { Configuration } from '@mikro-orm/core';
import { PostgreSqlKnexDialect } from '@mikro-orm/knex';
import { PostgreSqlConnection, PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { Knex } from 'knex';
import { isUuid } from '../domain/ids';

/**
 * BEGIN and the tenant setting in one round trip. Every request transaction starts with both (row-level security
 * keys on `app.site_id`, set per transaction), and node-postgres waits for each answer before it sends the next
 * statement: sent apart they cost two round trips, each a socket write and read here and a statement for
 * PostgreSQL (bench/README.md). Sent together as one simple-protocol message, PostgreSQL runs them in order, and a
 * failure of either fails the BEGIN as before. The site id is inlined (the simple protocol takes no parameters):
 * only a checked uuid, or '' for platform work, ever gets into the text.
 */
export function bindingBegin(siteId: string, readOnly: boolean): string {
  if (siteId !== '' && !isUuid(siteId)) throw new Error(`not a site id: ${JSON.stringify(siteId)}`);
  const begin = readOnly ? 'BEGIN TRANSACTION READ ONLY' : 'BEGIN';
  // The alias names it in pg_stat_statements: the bench counts it as riding on BEGIN's round trip (bench/statements.ts).
  return `${begin}; SELECT set_config('app.site_id', '${siteId}', true) AS bound_with_begin`;
}

interface KnexTransactionInternals {
  readOnly?: boolean;
  begin(conn: unknown): Promise<unknown>;
  query(conn: unknown, sql: string): Promise<unknown>;
}

// knex keeps its PostgreSQL transaction class internal; MikroORM's own dialect reaches into knex/lib the same way.
const KnexPgTransaction: new (
  ...args: unknown[]
) => KnexTransactionInternals = require('knex/lib/dialects/postgres/execution/pg-transaction');

/** A knex transaction that, when given a site, begins with its binding; without one it is knex's own. */
class SiteBindingTransaction extends KnexPgTransaction {
  // Kept from the config (knex replaces its userParams); read by begin, which knex calls a tick after construction.
  private readonly siteId: string | undefined;

  constructor(client: unknown, container: unknown, config?: { siteId?: string }, outerTx?: unknown) {
    super(client, container, config, outerTx);
    this.siteId = outerTx ? undefined : config?.siteId;
  }

  begin(conn: unknown): Promise<unknown> {
    const siteId = this.siteId;
    return siteId === undefined ? super.begin(conn) : this.query(conn, bindingBegin(siteId, this.readOnly === true));
  }
}

class SiteBindingDialect extends PostgreSqlKnexDialect {
  transaction(container: unknown, config?: { siteId?: string }, outerTx?: unknown) {
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

  /** A top-level transaction bound to one site ('' for none) from its first round trip. */
  async beginInSite(siteId: string, readOnly: boolean): Promise<Knex.Transaction> {
    const trx = await this.getKnex().transaction(null, { readOnly, siteId } as Knex.TransactionConfig);
    this.logQuery(bindingBegin(siteId, readOnly));
    return trx;
  }
}

/** PostgreSqlDriver with the connection above; PostgreSqlDriver itself adds nothing but its constructor. */
export class SiteBindingDriver extends PostgreSqlDriver {
  constructor(config: Configuration) {
    super(config);
    (this as unknown as { connection: SiteBindingConnection }).connection = new SiteBindingConnection(this.config);
  }
}
