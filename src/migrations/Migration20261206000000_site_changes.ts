import { Migration } from '@mikro-orm/migrations';

/**
 * Every committed change to a site row is announced on the channel `aegis_site_changes` with the site's id
 * (pg_notify is delivered at commit, and not at all on rollback). Each server process listens
 * (src/db/site-changes.ts) and forgets what it knew of that site, so the AI kill switch can be answered from
 * memory and still hold in every process as soon as the toggle commits. A trigger rather than a call in the
 * command: a change made by any writer, an operator's SQL included, is announced too.
 */
export class Migration20261206000000_site_changes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE FUNCTION notify_site_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('aegis_site_changes', NEW.id::text);
        RETURN NULL;
      END $$;`);
    this.addSql(`
      CREATE TRIGGER sites_announce_change AFTER UPDATE ON sites
        FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION notify_site_change();`);
  }
}
