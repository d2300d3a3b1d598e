import { Migration } from '@mikro-orm/migrations';

/**
 * The login limits' counters (src/db/attempt-counter.ts), shared by every server process, in the layout
 * rate-limiter-flexible's PostgreSQL store reads and writes (it is told the table exists: it creates nothing at run
 * time). A platform table: no site_id, a site's keys carry it in their prefix. Its own schema, because counters are
 * not business data: a refused request still counts, and changes nothing in `public`. The request role counts; the
 * index on `expire` serves the pruning of ended windows and of the oldest, past the cap.
 */
export class Migration20261203010000_login_limits extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE SCHEMA rate_limits;
      REVOKE ALL ON SCHEMA rate_limits FROM PUBLIC;
      CREATE TABLE rate_limits.attempts (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint NOT NULL
      );
      CREATE INDEX attempts_expire ON rate_limits.attempts (expire);
      GRANT USAGE ON SCHEMA rate_limits TO aegis_app;
      GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limits.attempts TO aegis_app;`);
  }
}
