import { Migration } from '@mikro-orm/migrations';

/**
 * Content, its versions, and AI suggestions kept apart from them. Versions are append-only; a suggestion's
 * decision is written once. The request role may move an item's current version and decide a suggestion,
 * nothing else in place.
 */
export class Migration20261127020000_content extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE content_items (
        id uuid PRIMARY KEY,
        site_id uuid NOT NULL REFERENCES sites(id),
        slug text NOT NULL CHECK (slug ~ '^[a-z0-9-]{1,200}$'),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        current_version integer NOT NULL CHECK (current_version >= 1),
        created_at timestamptz NOT NULL,
        UNIQUE (site_id, id),
        UNIQUE (site_id, slug)
      );
      CREATE INDEX content_items_site_created ON content_items (site_id, created_at, id);
      CREATE TABLE content_versions (
        id uuid PRIMARY KEY,
        site_id uuid NOT NULL,
        content_item_id uuid NOT NULL,
        number integer NOT NULL CHECK (number >= 1),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 100000),
        source text NOT NULL CHECK (source IN ('MANUAL','AI_SUGGESTION')),
        suggestion_id uuid UNIQUE,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        CHECK ((source = 'AI_SUGGESTION') = (suggestion_id IS NOT NULL)),
        UNIQUE (content_item_id, number),
        UNIQUE (site_id, content_item_id, number),
        FOREIGN KEY (site_id, content_item_id) REFERENCES content_items (site_id, id) DEFERRABLE INITIALLY DEFERRED
      );
      ALTER TABLE content_items ADD FOREIGN KEY (site_id, id, current_version)
        REFERENCES content_versions (site_id, content_item_id, number) DEFERRABLE INITIALLY DEFERRED;
      CREATE TABLE suggestions (
        id uuid PRIMARY KEY,
        site_id uuid NOT NULL,
        content_item_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING_REVIEW','APPROVED','REJECTED')),
        instruction text NOT NULL CHECK (length(instruction) BETWEEN 1 AND 2000),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 100000),
        base_version integer NOT NULL,
        model text NOT NULL,
        created_at timestamptz NOT NULL,
        decided_at timestamptz,
        decided_by text,
        rejection_reason text,
        created_version integer,
        CHECK (
          (status = 'PENDING_REVIEW' AND decided_at IS NULL AND decided_by IS NULL AND rejection_reason IS NULL AND created_version IS NULL)
          OR (status = 'APPROVED' AND decided_at IS NOT NULL AND decided_by IS NOT NULL AND rejection_reason IS NULL AND created_version IS NOT NULL)
          OR (status = 'REJECTED' AND decided_at IS NOT NULL AND decided_by IS NOT NULL AND rejection_reason IS NOT NULL AND created_version IS NULL)
        ),
        UNIQUE (site_id, id),
        FOREIGN KEY (site_id, content_item_id) REFERENCES content_items (site_id, id),
        FOREIGN KEY (site_id, content_item_id, base_version) REFERENCES content_versions (site_id, content_item_id, number),
        FOREIGN KEY (site_id, content_item_id, created_version)
          REFERENCES content_versions (site_id, content_item_id, number) DEFERRABLE INITIALLY DEFERRED
      );
      CREATE INDEX suggestions_site_item_created ON suggestions (site_id, content_item_id, created_at, id);
      ALTER TABLE content_versions ADD FOREIGN KEY (site_id, suggestion_id) REFERENCES suggestions (site_id, id);`);

    for (const table of ['content_items', 'content_versions', 'suggestions']) {
      this.addSql(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;`);
      this.addSql(`CREATE POLICY site_isolation ON ${table} USING (site_id = app_site_id()) WITH CHECK (site_id = app_site_id());`);
    }

    // Versions are history: never changed or removed. A decided suggestion (and its rejection reason) is final.
    this.addSql(`
      CREATE TRIGGER content_versions_append_only BEFORE UPDATE OR DELETE ON content_versions FOR EACH ROW EXECUTE FUNCTION refuse_change();
      CREATE TRIGGER content_versions_no_truncate BEFORE TRUNCATE ON content_versions EXECUTE FUNCTION refuse_change();
      CREATE FUNCTION refuse_redecision() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN
        IF TG_OP = 'DELETE' OR OLD.status <> 'PENDING_REVIEW' THEN
          RAISE EXCEPTION 'suggestion % is decided: % refused', OLD.id, TG_OP USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER suggestions_decided_once BEFORE UPDATE OR DELETE ON suggestions FOR EACH ROW EXECUTE FUNCTION refuse_redecision();`);

    this.addSql(`
      GRANT SELECT, INSERT ON content_versions TO aegis_app;
      GRANT SELECT, INSERT, UPDATE (current_version) ON content_items TO aegis_app;
      GRANT SELECT, INSERT, UPDATE (status, decided_at, decided_by, rejection_reason, created_version) ON suggestions TO aegis_app;`);
  }
}
